#!/usr/bin/env node
'use strict';
/*
 * Event-loop benchmark (`yarn bench:event-loop [--pg] [--repeat N] [--in-thread]`).
 *
 * Starts a real backend (Product OS plugin + Sentry, GitHub, PagerDuty and PostHog modules) in a
 * child process on SQLite in a temporary directory, or with --pg (or BENCH_PG=1) on the local
 * PostgreSQL. Then, per vendor endpoint, sends the worst request its body limits allow and
 * measures, IN THE BACKEND PROCESS, how long the event loop was held (perf_hooks
 * .monitorEventLoopDelay: max and p99 of the delay, in ms) while it was handled. Meanwhile a
 * probe asks a cheap route of the same backend every 5 ms, and the slowest answer is printed
 * too: what every other Backstage route would have waited.
 *
 * Bodies over 64 KiB are parsed on the backend's worker threads; `--in-thread` parses every body
 * on the event loop instead (`productOs.ingestWorkers.inThreadBytes`), the comparison without
 * them under the same load.
 *
 * The target is no hold longer than ~20 ms. Figures depend on the machine and on what else
 * runs on it; run it on an idle machine and compare runs, not absolute numbers.
 */
const { fork } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const payloads = require('./payloads');

const repoRoot = path.resolve(__dirname, '../../..');
const TRANSFORM = require.resolve('@backstage/cli/config/nodeTransform.cjs', {
  paths: [repoRoot],
});
const PG =
  process.env.BENCH_PG_CONNECTION ??
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';
const usePg = process.argv.includes('--pg') || process.env.BENCH_PG === '1';
const repeatIndex = process.argv.indexOf('--repeat');
const repeat = repeatIndex >= 0 ? Number(process.argv[repeatIndex + 1]) : 3;
const inThread = process.argv.includes('--in-thread');

const MiB = 1024 * 1024;
/** The modules' default body limits (see each module's README). */
const LIMITS = {
  posthog: { wire: MiB, decompressed: 2 * MiB },
  sentry: {
    wire: MiB,
    decompressed: 20 * MiB,
    maxItems: 1000,
    eventBytes: MiB,
  },
  github: { wire: 2 * MiB, decompressed: 2 * MiB },
  pagerduty: { wire: 512 * 1024, decompressed: 512 * 1024 },
};
const settings = {
  sentry: {
    projectId: '4505',
    publicKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    slug: 'checkout-api',
  },
  github: { repository: 'acme/checkout', secret: 'bench-github-secret' },
  pagerduty: { serviceId: 'PBENCH1', secret: 'bench-pagerduty-secret' },
  posthog: { key: 'phc_BenchCheckoutProjectKey0000000000000000000' },
};

function startBackend(database) {
  const child = fork(path.join(__dirname, 'eventLoopBackend.ts'), [], {
    cwd: repoRoot,
    execArgv: [
      '--require',
      TRANSFORM,
      ...(process.env.BENCH_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
        : []),
    ],
    env: {
      ...process.env,
      BENCH_SETTINGS: JSON.stringify({
        ...settings,
        database,
        // Larger than any body the limits let through.
        ...(inThread && { inThreadBytes: 64 * MiB }),
      }),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('exit', code => {
      if (child.stopping) return;
      console.error(`the backend exited unexpectedly (code ${code})`);
      process.exit(1);
    });
    const onMessage = message => {
      if (message.cmd !== 'ready') return;
      child.off('message', onMessage);
      resolve({ child, port: message.port });
    };
    child.on('message', onMessage);
  });
}

function ask(child, cmd, reply) {
  return new Promise(resolve => {
    const onMessage = message => {
      if (message.cmd !== reply) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send({ cmd });
  });
}

const agent = new http.Agent({ keepAlive: true });

function send(port, { path: requestPath, headers, body, method = 'POST' }) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: requestPath,
        method,
        agent,
        headers: body ? { ...headers, 'content-length': body.length } : headers,
      },
      res => {
        const chunks = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            body: Buffer.concat(chunks).toString('utf8').slice(0, 300),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Asks a cheap route (no database) every 5 ms until stopped; resolves the slowest answer. */
function probe(port) {
  let running = true;
  let slowest = 0;
  const done = (async () => {
    while (running) {
      const { ms } = await send(port, {
        method: 'POST',
        path: '/api/product-os/posthog/flags/?v=2',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{}'),
      });
      slowest = Math.max(slowest, ms);
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    return slowest;
  })();
  return {
    stop: () => {
      running = false;
      return done;
    },
  };
}

async function measure(backend, request) {
  await ask(backend.child, 'start', 'started');
  const prober = probe(backend.port);
  let response;
  try {
    response = await send(backend.port, request);
  } finally {
    // Stopped either way, so that a failed request leaves no probe running.
    await prober.stop().catch(() => NaN);
  }
  const slowestProbeMs = await prober.stop().catch(() => NaN);
  const loop = await ask(backend.child, 'stop', 'stopped');
  return { response, loop, slowestProbeMs };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'product-os-bench-'));
  const prefix = `bench_${process.pid}_`;
  const database = usePg
    ? { client: 'pg', connection: PG, prefix }
    : { client: 'better-sqlite3', connection: { directory: tmp } };
  console.log(
    `Event-loop benchmark on ${
      usePg ? 'PostgreSQL' : 'SQLite (temporary file)'
    }, ${os.cpus().length} CPUs, Node ${
      process.version
    }; ${repeat} run(s) per endpoint${
      inThread ? '; every body parsed on the event loop (--in-thread)' : ''
    }`,
  );
  console.log('Building the requests…');
  const only = process.env.BENCH_ONLY;
  const allBuilders = [
    () => payloads.posthogFinding(settings.posthog),
    () =>
      payloads.posthogUsers({ ...settings.posthog, limits: LIMITS.posthog }),
    () =>
      payloads.posthogExceptions({
        ...settings.posthog,
        limits: LIMITS.posthog,
      }),
    () =>
      payloads.sentryEnvelope({
        sentry: settings.sentry,
        limits: LIMITS.sentry,
      }),
    () =>
      payloads.sentryLargeEvent({
        sentry: settings.sentry,
        limits: LIMITS.sentry,
      }),
    () =>
      payloads.githubPush({ github: settings.github, limits: LIMITS.github }),
    () =>
      payloads.pagerDutyWebhook({
        pagerduty: settings.pagerduty,
        limits: LIMITS.pagerduty,
      }),
  ];
  const requests = [];
  const builders = [];
  for (const build of allBuilders) {
    const request = await build();
    if (only && !request.name.includes(only)) continue;
    builders.push(build);
    requests.push(request);
  }

  const backend = await startBackend(database);
  try {
    // A first small request warms up the routes, the database and the JIT.
    await measure(
      backend,
      payloads.pagerDutyWebhook({
        pagerduty: settings.pagerduty,
        limits: { wire: 4096, decompressed: 4096 },
      }),
    );
    const rows = [];
    for (const request of requests) {
      let worst;
      const maxima = [];
      for (let run = 0; run < repeat; run++) {
        // Each run is a new delivery: the PostHog body differs by its sent_at, the others by
        // their ids, so that no run is answered as a duplicate.
        const fresh =
          run === 0 ? request : await rebuild(request, builders, requests);
        let result;
        try {
          result = await measure(backend, fresh);
        } catch (error) {
          // The backend dropped the connection (e.g. its own deadline passed while it was held).
          const loop = await ask(backend.child, 'stop', 'stopped');
          result = {
            response: { status: error.code ?? 'error', ms: NaN, body: '' },
            loop,
            slowestProbeMs: NaN,
          };
        }
        maxima.push(result.loop.maxMs);
        if (!worst || result.loop.maxMs > worst.loop.maxMs) worst = result;
      }
      rows.push({
        endpoint: request.name,
        request: request.note,
        status: worst.response.status,
        'handled (ms)': Math.round(worst.response.ms),
        'loop max (ms)': worst.loop.maxMs,
        'loop max, median run (ms)': median(maxima),
        'loop p99 (ms)': worst.loop.p99Ms,
        'slowest other request (ms)': Math.round(worst.slowestProbeMs),
      });
      if (!(worst.response.status < 300)) {
        console.log(
          `  ${request.name}: ${worst.response.status} ${worst.response.body}`,
        );
      }
    }
    console.table(rows);
    console.log(
      'loop max/p99: the longest and the 99th percentile event-loop delay in the backend while the request was handled (worst of the runs); median run: the longest delay in the median run, less swayed by what else the machine runs.',
    );
  } finally {
    backend.child.stopping = true;
    const exited = new Promise(resolve => backend.child.once('exit', resolve));
    backend.child.send({ cmd: 'exit' });
    await exited;
    if (usePg) await dropPgDatabase(`${prefix}product-os`);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function dropPgDatabase(name) {
  const { Client } = require(require.resolve('pg', { paths: [repoRoot] }));
  const client = new Client({ connectionString: PG });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : Math.round(((sorted[middle - 1] + sorted[middle]) / 2) * 10) / 10;
}

/** Builds the same kind of request again (fresh ids, so it is not a duplicate delivery). */
async function rebuild(request, builders, requests) {
  return builders[requests.indexOf(request)]();
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
