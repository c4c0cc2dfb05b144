import { createHash } from 'crypto';
import { Random } from '../product/random';
import { HOUR_MS, isWorkingHour } from '../product/rhythm';
import type { DemoService } from '../product/services';

const MINUTE_MS = 60_000;

/** A background deploy: one pull request, merged, then deployed (or failing to deploy). */
export interface DeployPlan {
  service: DemoService;
  title: string;
  author: string;
  files: string[];
  sha: string;
  openedAt: number;
  mergedAt: number;
  deployStartedAt: number;
  deployFinishedAt: number;
  failed: boolean;
}

/** A background incident, from trigger to resolution. */
export interface IncidentPlan {
  service: DemoService;
  id: string;
  number: number;
  title: string;
  urgency: 'high' | 'low';
  assignee: string;
  triggeredAt: number;
  acknowledgedAt: number;
  resolvedAt: number;
}

/** An operational change reported as a PagerDuty change event. */
export interface ChangeEventPlan {
  service: DemoService;
  summary: string;
  at: number;
}

export interface HourPlan {
  deploys: DeployPlan[];
  incidents: IncidentPlan[];
  changeEvents: ChangeEventPlan[];
}

const PR_TITLES = [
  'Tidy up logging around {file}',
  'Bump dependencies',
  'Speed up {file}',
  'Add metrics to {file}',
  'Handle empty responses in {file}',
  'Refactor {file}',
  'Copy changes',
];

const INCIDENT_TITLES: Record<string, string[]> = {
  storefront: [
    'Homepage p95 latency above 3 s',
    'Product images failing to load from CDN',
  ],
  'checkout-api': [
    'Checkout p99 latency above 2 s',
    'Order confirmation queue backing up',
  ],
  'payments-api': [
    'Card payments failing: provider 5xx',
    'Refund webhooks delayed',
  ],
  'catalog-api': ['Stock sync lagging behind the warehouse'],
  notifications: ['Mail relay refusing connections'],
};

const CHANGE_EVENTS: Record<string, string[]> = {
  'payments-api': [
    'Raised the payment provider connection pool to 40',
    'Rotated provider API keys',
  ],
  storefront: [
    'CDN cache purged',
    'Enabled the new product grid for 10 % of visitors',
  ],
};

/**
 * What happens in one hour of the shop's history besides traffic: deploys in working hours,
 * now and then an incident or an operational change. The plan depends only on the service and
 * the hour, so the same hour always plays the same way.
 */
export function planHour(service: DemoService, hourStart: number): HourPlan {
  const random = new Random(`${service.name}:${hourStart}`);
  const plan: HourPlan = { deploys: [], incidents: [], changeEvents: [] };

  if (isWorkingHour(hourStart) && random.next() < service.deploysPerDay / 9) {
    const deployStartedAt = hourStart + random.integer(0, 45) * MINUTE_MS;
    const mergedAt = deployStartedAt - random.integer(5, 40) * MINUTE_MS;
    const files = [
      ...new Set([random.pick(service.files), random.pick(service.files)]),
    ].map(file => `${service.path}${file}`);
    const failed = random.next() < 0.06;
    plan.deploys.push({
      service,
      title: random.pick(PR_TITLES).replace('{file}', basename(files[0])),
      author: random.pick(service.authors),
      files,
      sha: shaOf(`${service.name}:${hourStart}:deploy`),
      openedAt: mergedAt - random.integer(1, 30) * HOUR_MS,
      mergedAt,
      deployStartedAt,
      deployFinishedAt: deployStartedAt + random.integer(2, 7) * MINUTE_MS,
      failed,
    });
  }

  if (
    service.name === 'checkout-api' &&
    new Date(hourStart).getUTCHours() === 2
  ) {
    // The nightly order export slows checkout every night: a recurring, quickly resolved page.
    plan.incidents.push(
      incidentPlan(
        service,
        hourStart,
        random,
        'Checkout p99 latency above 2 s during the nightly order export',
        'nightly',
      ),
    );
  }

  const titles = INCIDENT_TITLES[service.name];
  if (service.pagerduty?.serviceId && titles && random.next() < 1 / 72) {
    plan.incidents.push(
      incidentPlan(service, hourStart, random, random.pick(titles), 'incident'),
    );
  }

  const changes = CHANGE_EVENTS[service.name];
  if (
    service.pagerduty?.routingKey &&
    changes &&
    isWorkingHour(hourStart) &&
    random.next() < 1 / 14
  ) {
    plan.changeEvents.push({
      service,
      summary: random.pick(changes),
      at: hourStart + random.integer(0, 59) * MINUTE_MS,
    });
  }
  return plan;
}

function incidentPlan(
  service: DemoService,
  hourStart: number,
  random: Random,
  title: string,
  /** Tells apart incidents of the same service and hour. */
  kind: string,
): IncidentPlan {
  const triggeredAt = hourStart + random.integer(0, 59) * MINUTE_MS;
  const acknowledgedAt = triggeredAt + random.integer(1, 12) * MINUTE_MS;
  const id = `Q${shaOf(`${service.name}:${hourStart}:${kind}`)
    .slice(0, 12)
    .toUpperCase()}`;
  return {
    service,
    id,
    number: 1000 + (parseInt(id.slice(1, 6), 16) % 9000),
    title,
    urgency: random.next() < 0.5 ? 'high' : 'low',
    assignee: random.pick(service.authors),
    triggeredAt,
    acknowledgedAt,
    resolvedAt: acknowledgedAt + random.integer(10, 110) * MINUTE_MS,
  };
}

/** A commit sha made up from a seed. */
export function shaOf(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
