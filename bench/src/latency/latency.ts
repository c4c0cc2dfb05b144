/*
 * The latency benchmark: how long from the first signal of trouble to a stored diagnosis, end to
 * end through a real backend's HTTP endpoints. A backend process (latencyBackend.ts: the plugin
 * with its agent on, the Sentry, GitHub and PagerDuty modules, a real database) gets, per trial
 * and on a service of its own, a signed GitHub push and deployment a few minutes old, then the
 * trouble: a new error (Sentry envelopes, an event every 250 ms unless told, as a broken code
 * path at a few requests a second throws) or a PagerDuty incident (a signed v3 webhook). The clock starts when
 * the first envelope or the webhook is sent and stops when the public API
 * (`GET /entities/.../diagnoses`, polled every 100 ms) first returns a diagnosis. After each
 * trial the errors keep coming for a few seconds, to count the versions of the stored diagnosis
 * (each a changed conclusion) and whether a second diagnosis appears.
 *
 *   yarn bench:latency                  SQLite (a database file in a temporary directory)
 *   yarn bench:latency --pg             PostgreSQL (a fresh database, dropped after)
 *   --trials=<n>                        trials (default 20, alternating new error and incident)
 *   --debounce=<seconds>                productOs.agent.signalDebounceSeconds of the backend
 *   --rate=<events per second>          of the new error (default 4)
 */
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { dropPostgresDatabase, postgresServer } from '../postgres';
import { startServer, stopServer } from '../ingest/backendProcess';
import { benchServices, BenchService, LatencySettings } from './services';

const GITHUB_SECRET = 'bench-github-secret';
const PAGERDUTY_SECRET = 'bench-pagerduty-secret';
const MINUTE = 60_000;
const POLL_EVERY_MS = 100;
const GIVE_UP_MS = 120_000;
/** How long errors keep coming after the diagnosis, to see it rewritten rather than repeated. */
const AFTER_MS = 8_000;

type Kind = 'new error' | 'incident';

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
    } CPUs, Node ${process.version}: ${trials} trials, ${
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
      const kind: Kind = i % 2 === 0 ? 'new error' : 'incident';
      const sha = await deploy(base, service);
      const trial = await measure(base, service, kind, sha, eventEveryMs);
      results.push(trial);
      console.log(
        `  ${service.name} ${kind.padEnd(9)} ${(trial.ms / 1000).toFixed(
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
  for (const kind of ['new error', 'incident', undefined] as const) {
    const ms = results.filter(r => !kind || r.kind === kind).map(r => r.ms);
    console.log(
      `${(kind ?? 'all').padEnd(
        9,
      )} first signal to stored diagnosis (API): p50 ${seconds(
        quantile(ms, 0.5),
      )}, p95 ${seconds(quantile(ms, 0.95))}, max ${seconds(
        Math.max(...ms),
      )} (${ms.length} trials)${kind ? '' : '   target p95 <= 10 s'}`,
    );
  }
  const extra = results.filter(r => r.diagnoses > 1).length;
  console.log(
    `Cases with more than one diagnosis: ${extra} of ${
      results.length
    }; versions of the diagnosis per case (each a changed conclusion, kept in its timeline): median ${quantile(
      results.map(r => r.versions),
      0.5,
    )}, max ${Math.max(...results.map(r => r.versions))}`,
  );
}

/** A push of one commit to the service's code and its deployment, finished 5 minutes ago. */
async function deploy(base: string, service: BenchService): Promise<string> {
  const sha = crypto.randomBytes(20).toString('hex');
  const now = Date.now();
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
  eventEveryMs: number,
): Promise<Trial> {
  const started = Date.now();
  let stop = false;
  let sending: Promise<void> = Promise.resolve();
  if (kind === 'new error') {
    sending = (async () => {
      for (let n = 0; !stop && Date.now() - started < GIVE_UP_MS; n++) {
        await sentry(base, service, sha);
        await sleep(Math.max(0, started + (n + 1) * eventEveryMs - Date.now()));
      }
    })();
  } else {
    await pagerDuty(base, service);
  }
  const diagnosesUrl = `${base}/entities/component/default/${service.name}/diagnoses`;
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

/** One error event in a Sentry envelope, thrown in the deployed cart code. */
async function sentry(base: string, service: BenchService, sha: string) {
  const { id, publicKey } = service.sentry;
  const event = JSON.stringify({
    event_id: crypto.randomBytes(16).toString('hex'),
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    release: sha,
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
