import type { DemoState } from '../DemoProgress';
import { Random } from '../product/random';
import { HOUR_MS, startOfHour, trafficLevel } from '../product/rhythm';
import { cartTotal } from '../product/repos/checkout-api/src/cart/totals';
import { submitCheckout } from '../product/repos/webshop/apps/storefront/src/api/checkoutClient';
import {
  checkoutApi,
  DemoService,
  demoServices,
  storefront,
} from '../product/services';
import type { DemoSenders } from '../send';
import { DeployPlan, IncidentPlan, planHour, shaOf } from './plans';
import { shipChange } from './ship';

const MINUTE_MS = 60_000;
/** How long after their hour planned events may still happen (an incident's resolution). */
const PLAN_REACH_HOURS = 3;

/** Trouble the scripted scenario switches on. */
export interface Faults {
  /** Checkout runs PR #812's cart total: carts with a free gift fail, conversions drop. */
  brokenCheckout: boolean;
}

/**
 * The web shop's life as its services report it: errors through Sentry and product events
 * through PostHog at the rhythm of the day, deploys through GitHub, incidents and change events
 * through PagerDuty. `run(from, to)` sends what happened in that interval, whether that is a
 * back-filled hour of history or the last ten seconds.
 */
export class ShopTraffic {
  readonly faults: Faults = { brokenCheckout: false };
  /**
   * Planned pages of a service that are not sent: the nightly one of checkout-api would otherwise
   * open just before the scripted bad deploy whenever the demo starts near 02:00 UTC, and the
   * diagnosis would then depend on the time of day the portal was started.
   */
  private quiet?: { service: DemoService; from: number; to: number };

  /** No planned page of `service` is triggered between `from` and `to`. */
  keepQuiet(service: DemoService, from: number, to: number): void {
    this.quiet = { service, from, to };
  }
  private readonly deployed = new Map<string, string>();

  constructor(
    private readonly senders: DemoSenders,
    private readonly state: DemoState,
  ) {}

  /** The sha a service runs now. */
  deployedSha(service: DemoService): string {
    return this.deployed.get(service.name) ?? shaOf(`${service.name}:initial`);
  }

  setDeployed(service: DemoService, sha: string): void {
    this.deployed.set(service.name, sha);
  }

  /** Works out what each service runs at `at` from the deploys planned in the days before. */
  restoreDeployments(at: number, days: number): void {
    for (
      let hour = startOfHour(at) - days * 24 * HOUR_MS;
      hour < at;
      hour += HOUR_MS
    ) {
      for (const service of demoServices) {
        for (const deploy of planHour(service, hour).deploys) {
          if (!deploy.failed && deploy.deployFinishedAt < at)
            this.setDeployed(service, deploy.sha);
        }
      }
    }
  }

  /** The next pull request number of a repository (the scenario's #812 is kept free). */
  nextPullRequest(repository: string): number {
    let next = (this.state.pullRequests[repository] ?? 600) + 1;
    if (next === 812) next++;
    this.state.pullRequests[repository] = next;
    return next;
  }

  async run(from: number, to: number): Promise<void> {
    for (let hour = startOfHour(from); hour < to; hour += HOUR_MS) {
      const sliceFrom = Math.max(from, hour);
      const sliceTo = Math.min(to, hour + HOUR_MS);
      for (const service of demoServices) {
        await this.sendErrors(service, sliceFrom, sliceTo);
        this.sendMetrics(service, sliceFrom, sliceTo);
      }
      if (this.faults.brokenCheckout)
        await this.sendBrokenCheckout(sliceFrom, sliceTo);
      for (
        let planned = hour - PLAN_REACH_HOURS * HOUR_MS;
        planned <= hour;
        planned += HOUR_MS
      ) {
        for (const service of demoServices) {
          await this.deliverPlan(service, planned, sliceFrom, sliceTo);
        }
      }
      await Promise.all([
        this.senders.sentry.flush(),
        this.senders.posthog.flush(),
      ]);
    }
  }

  private async sendErrors(service: DemoService, from: number, to: number) {
    const random = new Random(`${service.name}:errors:${from}`);
    const mean =
      (service.errorsPerHour * trafficLevel(from) * (to - from)) / HOUR_MS;
    for (let i = random.poisson(mean); i > 0; i--) {
      const source = random.weighted(service.errors);
      await this.report(
        service,
        random,
        from + random.next() * (to - from),
        () => source.raise(random),
      );
    }
  }

  private sendMetrics(service: DemoService, from: number, to: number) {
    for (const metric of service.posthog?.metrics ?? []) {
      const random = new Random(`${service.name}:${metric.event}:${from}`);
      const drop =
        this.faults.brokenCheckout && metric.event === 'checkout_completed'
          ? 0.3
          : 1;
      const mean =
        (metric.perHour * trafficLevel(from) * drop * (to - from)) / HOUR_MS;
      for (let i = random.poisson(mean); i > 0; i--) {
        this.senders.posthog.capture(service, {
          name: metric.event,
          distinctId: `shopper-${random.integer(1, 4000)}`,
          at: from + random.next() * (to - from),
        });
      }
    }
  }

  /**
   * While PR #812 is live, every cart with the promotion's free gift fails in checkout-api, and
   * the storefront reports the failed checkouts. A steady rate, whatever the hour, so the demo
   * shows the same thing at night.
   */
  private async sendBrokenCheckout(from: number, to: number) {
    const random = new Random(`broken-checkout:${from}`);
    const minutes = (to - from) / MINUTE_MS;
    for (let i = random.poisson(45 * minutes); i > 0; i--) {
      await this.report(
        checkoutApi,
        random,
        from + random.next() * (to - from),
        () =>
          cartTotal([
            {
              sku: 'SKU-2231',
              quantity: 1,
              price: { amount: 59.9, currency: 'EUR' },
            },
            { sku: 'TOTE-FREE', quantity: 1 },
          ]),
      );
    }
    for (let i = random.poisson(12 * minutes); i > 0; i--) {
      await this.report(
        storefront,
        random,
        from + random.next() * (to - from),
        () => submitCheckout(500),
      );
    }
  }

  private async report(
    service: DemoService,
    random: Random,
    at: number,
    run: () => void,
  ) {
    try {
      run();
    } catch (error) {
      await this.senders.sentry.capture({
        service,
        error,
        at,
        eventId: random.hex(32),
        release: `${service.name}@${this.deployedSha(service).slice(0, 7)}`,
        userId: `shopper-${random.integer(1, 4000)}`,
      });
    }
  }

  private async deliverPlan(
    service: DemoService,
    hour: number,
    from: number,
    to: number,
  ) {
    const plan = planHour(service, hour);
    const within = (at: number) => at >= from && at < to;
    for (const deploy of plan.deploys) {
      // While the scenario runs checkout-api, nobody else deploys it.
      if (service === checkoutApi && this.faults.brokenCheckout) continue;
      if (within(deploy.deployFinishedAt)) await this.deploy(deploy);
    }
    for (const incident of plan.incidents) {
      const { quiet } = this;
      if (
        quiet &&
        incident.service === quiet.service &&
        incident.triggeredAt >= quiet.from &&
        incident.triggeredAt < quiet.to
      )
        continue;
      await this.deliverIncident(incident, within);
    }
    for (const change of plan.changeEvents) {
      if (within(change.at) && service.pagerduty?.routingKey) {
        await this.senders.pagerduty.changeEvent({
          routingKey: service.pagerduty.routingKey,
          summary: change.summary,
          at: change.at,
          source: `${service.name}-ops`,
        });
      }
    }
  }

  private async deploy(deploy: DeployPlan) {
    await shipChange(
      this.senders.github,
      {
        repository: deploy.service.repository,
        service: deploy.service.name,
        number: this.nextPullRequest(deploy.service.repository),
        title: deploy.title,
        author: deploy.author,
        files: deploy.files,
        sha: deploy.sha,
        openedAt: deploy.openedAt,
        mergedAt: deploy.mergedAt,
      },
      {
        startedAt: deploy.deployStartedAt,
        finishedAt: deploy.deployFinishedAt,
        outcome: deploy.failed ? 'failure' : 'success',
      },
    );
    if (!deploy.failed) this.setDeployed(deploy.service, deploy.sha);
  }

  private async deliverIncident(
    incident: IncidentPlan,
    within: (at: number) => boolean,
  ) {
    const details = {
      id: incident.id,
      number: incident.number,
      title: incident.title,
      serviceId: incident.service.pagerduty!.serviceId!,
      urgency: incident.urgency,
      createdAt: incident.triggeredAt,
      assignee: incident.assignee,
    };
    const steps = [
      ['incident.triggered', incident.triggeredAt],
      ['incident.acknowledged', incident.acknowledgedAt],
      ['incident.resolved', incident.resolvedAt],
    ] as const;
    for (const [eventType, at] of steps) {
      if (within(at))
        await this.senders.pagerduty.incidentEvent(eventType, details, at);
    }
  }
}
