/*
 * The latency benchmark: how long from the signal that reveals trouble to a stored diagnosis,
 * end to end through a real backend's HTTP endpoints. A backend process (latencyBackend.ts: the
 * plugin with its agent on, the Sentry, GitHub, PagerDuty and PostHog modules, a real database)
 * gets, per trial and on a service of its own, a signed GitHub push and deployment, then one
 * kind of trouble:
 *
 *   new error    Sentry envelopes of an error never seen before, an event every 250 ms unless
 *                told (a broken code path at a few requests a second); clocked from the first.
 *   incident     a signed PagerDuty v3 `incident.triggered`; clocked from sending it.
 *   sharp rise   an error group with a week of history (4 events in the same hour of each day
 *                and in each of the 6 hours before) starts coming at the same rate as a new
 *                error; clocked from the first event of the rise.
 *   metric drop  the key metric through posthog-node: three days at 60 an hour, then an hour
 *                at 15 (untimed; one hour down is not yet a drop), then the second hour at 15
 *                and the first events of the current hour, as they arrive once that hour has
 *                closed; clocked from sending them.
 *
 * The deployment finished 5 minutes before the trouble (before the drop began, for a drop). The
 * clock stops when the public API (`GET /entities/.../diagnoses`, polled every 100 ms) first
 * returns a diagnosis. After each trial the trouble goes on for a few seconds, to count the
 * versions of the stored diagnosis (each a changed conclusion) and to check there is exactly
 * one diagnosis (the benchmark fails otherwise).
 *
 *   yarn bench:latency                  SQLite (a database file in a temporary directory)
 *   yarn bench:latency --pg             PostgreSQL (a fresh database, dropped after)
 *   --trials=<n>                        trials (default 20, taking the kinds in turn)
 *   --kinds=<list>                      of new-error, incident, rise, drop (default all)
 *   --debounce=<seconds>                productOs.agent.signalDebounceSeconds of the backend
 *   --rate=<events per second>          of the new error and the rise (default 4)
 */
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { dropPostgresDatabase, postgresServer } from '../postgres';
import { startServer, stopServer } from '../ingest/backendProcess';
import { ServiceAnalytics } from './postHog';
import { benchServices, BenchService, LatencySettings } from './services';

const GITHUB_SECRET = 'bench-github-secret';
const PAGERDUTY_SECRET = 'bench-pagerduty-secret';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const POLL_EVERY_MS = 100;
const GIVE_UP_MS = 120_000;
/** How long errors keep coming after the diagnosis, to see it rewritten rather than repeated. */
const AFTER_MS = 8_000;

const KINDS = {
  'new-error': 'new error',
  incident: 'incident',
  rise: 'sharp rise',
  drop: 'metric drop',
} as const;
type Kind = (typeof KINDS)[keyof typeof KINDS];

interface Trial {
  kind: Kind;
  /** First signal sent to the diagnosis returned by the API. */
  ms: number;
  /** First signal sent to the diagnosis' own `createdAt` (when the agent stored it). */
  storedMs: number;
  named: boolean;
  /** Diagnoses of the service at the end, and the versions of the one shown (its conclusions). */
  diagnoses: number;
  versions: number;
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name: string) =>
    args.find(a => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const engine = args.includes('--pg') ? 'postgres' : 'sqlite';
  const trials = Number(option('trials') ?? 20);
  const debounce = option('debounce');
  const eventEveryMs = 1000 / Number(option('rate') ?? 4);
  const kinds = (option('kinds') ?? Object.keys(KINDS).join(','))
    .split(',')
    .map(name => {
      const kind = KINDS[name as keyof typeof KINDS];
      if (!kind) throw new Error(`--kinds: unknown kind '${name}'`);
      return kind;
    });
  const debounceMs = Number(debounce ?? 2) * 1000;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'product-os-latency-'));
  const prefix = `bench_latency_${process.pid}_`;
  const settings: LatencySettings = {
    services: trials,
    database:
      engine === 'postgres'
        ? { client: 'pg', connection: postgresServer(), prefix }
        : { client: 'better-sqlite3', connection: { directory: tmp } },
    githubSecret: GITHUB_SECRET,
    pagerDutySecret: PAGERDUTY_SECRET,
    agent: debounce ? { signalDebounceSeconds: Number(debounce) } : {},
  };
  console.log(
    `Latency benchmark on ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${
      os.cpus().length
    } CPUs, Node ${process.version}: ${trials} trials (${kinds.join(', ')}), ${
      1000 / eventEveryMs
    } error events a second${
      debounce ? `, signalDebounceSeconds ${debounce}` : ''
    }`,
  );
  const server = await startServer(path.join(__dirname, 'latencyBackend.ts'), {
    BENCH_SETTINGS: JSON.stringify(settings),
  });
  const base = `http://127.0.0.1:${server.port}/api/product-os`;
  const results: Trial[] = [];
  try {
    for (const [i, service] of benchServices(trials).entries()) {
      const kind = kinds[i % kinds.length];
      const now = Date.now();
      const sha = await deploy(
        base,
        service,
        kind === 'metric drop'
          ? ServiceAnalytics.dropStart(now) - 5 * MINUTE
          : now - 5 * MINUTE,
      );
      const trial = await measure(base, service, kind, sha, {
        eventEveryMs,
        debounceMs,
      });
      results.push(trial);
      console.log(
        `  ${service.name} ${kind.padEnd(11)} ${(trial.ms / 1000).toFixed(
          2,
        )} s to the API (stored after ${(trial.storedMs / 1000).toFixed(
          2,
        )} s), ${trial.named ? 'names the deployment' : 'names no change'}; ${
          trial.diagnoses
        } diagnosis, ${trial.versions} version(s)`,
      );
    }
  } finally {
    await stopServer(server.child);
    if (engine === 'postgres')
      await dropPostgresDatabase(`${prefix}product-os`);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log('');
  for (const kind of [...new Set(kinds), undefined]) {
    const ms = results.filter(r => !kind || r.kind === kind).map(r => r.ms);
    console.log(
      `${(kind ?? 'all').padEnd(
        11,
      )} first signal to stored diagnosis (API): p50 ${seconds(
        quantile(ms, 0.5),
      )}, p95 ${seconds(quantile(ms, 0.95))}, max ${seconds(
        Math.max(...ms),
      )} (${ms.length} trials)${kind ? '' : '   target p95 <= 10 s'}`,
    );
  }
  const extra = results.filter(r => r.diagnoses !== 1).length;
  console.log(
    `Cases without exactly one diagnosis: ${extra} of ${
      results.length
    }; versions of the diagnosis per case (each a changed conclusion, kept in its timeline): median ${quantile(
      results.map(r => r.versions),
      0.5,
    )}, max ${Math.max(...results.map(r => r.versions))}`,
  );
  if (extra > 0) process.exitCode = 1;
}

/** A push of one commit to the service's code and its deployment, finished at `finishedAt`. */
async function deploy(
  base: string,
  service: BenchService,
  finishedAt: number,
): Promise<string> {
  const sha = crypto.randomBytes(20).toString('hex');
  const now = finishedAt + 5 * MINUTE;
  const repository = {
    id: 1,
    name: service.name,
    full_name: service.repository,
    html_url: `https://github.com/${service.repository}`,
    default_branch: 'main',
  };
  const author = { name: 'Dev', email: 'dev@example.com', username: 'dev' };
  const commit = {
    id: sha,
    tree_id: sha,
    distinct: true,
    message: 'Apply discounts before tax',
    timestamp: new Date(now - 20 * MINUTE).toISOString(),
    url: `https://github.com/${service.repository}/commit/${sha}`,
    author,
    committer: author,
    added: [],
    removed: [],
    modified: ['src/cart/cartService.ts', 'src/cart/applyDiscounts.ts'],
  };
  await github(base, 'push', {
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: sha,
    repository,
    pusher: { name: 'dev', email: 'dev@example.com' },
    sender: { login: 'dev', id: 1 },
    created: false,
    deleted: false,
    forced: false,
    compare: `https://github.com/${service.repository}/compare`,
    commits: [commit],
    head_commit: commit,
  });
  const deployment = {
    id: Number(`${Date.now() % 1_000_000}${service.sentry.id}`),
    sha,
    ref: 'main',
    environment: 'production',
    creator: { login: 'dev' },
    created_at: new Date(now - 8 * MINUTE).toISOString(),
  };
  await github(base, 'deployment_status', {
    deployment,
    deployment_status: {
      state: 'success',
      created_at: new Date(now - 5 * MINUTE).toISOString(),
      updated_at: new Date(now - 5 * MINUTE).toISOString(),
      target_url: `https://ci.example.com/${sha}`,
    },
    repository,
    sender: { login: 'dev', id: 1 },
  });
  return sha;
}

async function measure(
  base: string,
  service: BenchService,
  kind: Kind,
  sha: string,
  options: { eventEveryMs: number; debounceMs: number },
): Promise<Trial> {
  const diagnosesUrl = `${base}/entities/component/default/${service.name}/diagnoses`;
  const analytics =
    kind === 'metric drop' ? new ServiceAnalytics(base, service) : undefined;
  // What came before the trouble: stored, looked at by the agent, and no diagnosis yet.
  if (kind === 'sharp rise') await errorHistory(base, service);
  if (analytics) await analytics.history(Date.now());
  if (kind === 'sharp rise' || analytics) {
    await sleep(2 * options.debounceMs + 2000);
    const { items } = await getJson(diagnosesUrl);
    if (items.length > 0)
      throw new Error(`${service.name}: the history alone was diagnosed`);
  }

  const started = Date.now();
  let stop = false;
  let sending: Promise<void> = Promise.resolve();
  if (kind === 'new error' || kind === 'sharp rise') {
    sending = (async () => {
      for (let n = 0; !stop && Date.now() - started < GIVE_UP_MS; n++) {
        await sentry(base, service, sha, Date.now());
        await sleep(
          Math.max(0, started + (n + 1) * options.eventEveryMs - Date.now()),
        );
      }
    })();
  } else if (analytics) {
    await analytics.secondHour(started);
    sending = (async () => {
      while (!stop) {
        await sleep(2000);
        await analytics.more(Date.now());
      }
    })();
  } else {
    await pagerDuty(base, service);
  }
  let first: any;
  while (!first && Date.now() - started < GIVE_UP_MS) {
    const { items } = await getJson(diagnosesUrl);
    first = items[0];
    if (!first) await sleep(POLL_EVERY_MS);
  }
  const ms = Date.now() - started;
  if (!first)
    throw new Error(`${service.name}: no diagnosis in ${GIVE_UP_MS} ms`);
  // More of the same trouble: the diagnosis may improve, and should be rewritten, not repeated.
  await sleep(AFTER_MS);
  stop = true;
  await sending;
  await analytics?.shutdown();
  await sleep(1000);
  const { items } = await getJson(diagnosesUrl);
  const latest = items[0] ?? first;
  return {
    kind,
    ms,
    storedMs: Date.parse(first.createdAt) - started,
    named: first.verdict === 'suspect',
    diagnoses: items.length,
    versions: (latest.revisions ?? []).length,
  };
}

async function github(base: string, event: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const signature = `sha256=${crypto
    .createHmac('sha256', GITHUB_SECRET)
    .update(body)
    .digest('hex')}`;
  await post(`${base}/github/webhook`, body, {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': crypto.randomUUID(),
    'x-hub-signature-256': signature,
  });
}

/**
 * A week of an error group that is part of the service's ordinary noise: 4 events in the
 * current clock hour of each of the 7 days before, and in each of the 6 hours before this one.
 */
async function errorHistory(base: string, service: BenchService) {
  const now = Date.now();
  // Seen in the releases before the deployment's.
  const earlier = crypto.randomBytes(20).toString('hex');
  const ago = [
    ...Array.from({ length: 7 }, (_, d) => (7 - d) * DAY),
    ...Array.from({ length: 6 }, (_, h) => (6 - h) * HOUR),
  ];
  for (const before of ago)
    for (let i = 0; i < 4; i++)
      await sentry(base, service, earlier, now - before + i * 1000);
}

/** One error event in a Sentry envelope, thrown in the cart code of `release`, at `at`. */
async function sentry(
  base: string,
  service: BenchService,
  release: string,
  at: number,
) {
  const { id, publicKey } = service.sentry;
  const event = JSON.stringify({
    event_id: crypto.randomBytes(16).toString('hex'),
    timestamp: at / 1000,
    platform: 'node',
    level: 'error',
    release,
    environment: 'production',
    exception: {
      values: [
        {
          type: 'TypeError',
          value: "Cannot read properties of undefined (reading 'rate')",
          stacktrace: {
            // Sentry orders frames outermost first.
            frames: [
              {
                filename: '/app/node_modules/express/lib/router/layer.js',
                function: 'handle',
                in_app: false,
              },
              {
                filename: '/app/src/routes/cartRoutes.ts',
                function: 'postCart',
                in_app: true,
              },
              {
                filename: '/app/src/cart/cartService.ts',
                function: 'total',
                in_app: true,
              },
              {
                filename: '/app/src/cart/applyDiscounts.ts',
                function: 'applyDiscounts',
                in_app: true,
              },
            ],
          },
        },
      ],
    },
  });
  const body = [
    JSON.stringify({ sent_at: new Date().toISOString() }),
    JSON.stringify({ type: 'event', length: Buffer.byteLength(event) }),
    event,
  ].join('\n');
  await post(
    `${base}/sentry/api/${id}/envelope/?sentry_key=${publicKey}&sentry_version=7`,
    body,
    { 'content-type': 'application/x-sentry-envelope' },
  );
}

/** A PagerDuty v3 `incident.triggered` webhook, signed as PagerDuty signs it. */
async function pagerDuty(base: string, service: BenchService) {
  const now = new Date().toISOString();
  const id = `Q${crypto.randomBytes(5).toString('hex').toUpperCase()}`;
  const body = JSON.stringify({
    event: {
      id: crypto.randomUUID(),
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: now,
      agent: null,
      client: { name: 'Monitoring' },
      data: {
        id,
        type: 'incident',
        self: `https://api.pagerduty.com/incidents/${id}`,
        html_url: `https://acme.pagerduty.com/incidents/${id}`,
        number: 1,
        status: 'triggered',
        incident_key: crypto.randomBytes(16).toString('hex'),
        created_at: now,
        title: 'Checkout error rate above 5 %',
        service: {
          id: service.pagerDutyServiceId,
          type: 'service_reference',
          summary: service.name,
          self: `https://api.pagerduty.com/services/${service.pagerDutyServiceId}`,
          html_url: `https://acme.pagerduty.com/services/${service.pagerDutyServiceId}`,
        },
        assignees: [],
        urgency: 'high',
      },
    },
  });
  const signature = `v1=${crypto
    .createHmac('sha256', PAGERDUTY_SECRET)
    .update(body)
    .digest('hex')}`;
  await post(`${base}/pagerduty/webhook`, body, {
    'content-type': 'application/json',
    'x-pagerduty-signature': signature,
    'x-webhook-subscription': 'PBENCH',
  });
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
) {
  const response = await fetch(url, { method: 'POST', body, headers });
  if (!response.ok)
    throw new Error(`${url}: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

async function getJson(url: string): Promise<any> {
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function quantile(values: number[], q: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
