#!/usr/bin/env node
'use strict';
/*
 * Sentry ingestion benchmark (`yarn bench:ingest [--pg] [--events N] [--concurrency C]`).
 *
 * 1. Starts the backend (Product OS plugin + Sentry module + catalog mock) in a child process on
 *    SQLite in a temporary file, or with --pg (or BENCH_PG=1) on the local PostgreSQL.
 * 2. Drives envelope ingestion from a separate child process: ~10 KB events over 200 groups,
 *    keep-alive loopback connections, a bounded count and a bounded time.
 * 3. Waits until every accepted event is stored and counted in its group (the backlog drained),
 *    and prints events/s, p50/p99 request latency and the backend's peak RSS.
 * 4. Runs the same load against a bare node:http server that only reads and parses envelopes,
 *    the ceiling, and prints the ratio.
 */
const { fork } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const repoRoot = path.resolve(__dirname, '../../..');
const TRANSFORM = require.resolve('@backstage/cli/config/nodeTransform.cjs', {
  paths: [repoRoot],
});
const PG =
  process.env.BENCH_PG_CONNECTION ?? 'postgresql://postgres@127.0.0.1:5432';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const usePg = process.argv.includes('--pg') || process.env.BENCH_PG === '1';
const settings = {
  events: option('events', 20000),
  concurrency: option('concurrency', 16),
  groups: option('groups', 200),
  maxSeconds: option('max-seconds', 120),
};

/** Starts a server process and resolves once it listens. */
function startServer(script, env) {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const child = fork(script, [], {
    execArgv: [
      '--require',
      TRANSFORM,
      // So that the heap reported at the end is the live heap, after a full collection.
      '--expose-gc',
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('exit', code => {
      if (child.stopping) return;
      // Without it nothing would be left to wait for, and the benchmark would end silently.
      console.error(
        `${path.basename(script)} exited unexpectedly (code ${code})`,
      );
      process.exit(1);
    });
    // The TypeScript transform also talks over IPC (`watch` messages); only `ready` counts.
    const onMessage = message => {
      if (message.cmd !== 'ready') return;
      child.off('message', onMessage);
      resolve({ child, ...message });
    };
    child.on('message', onMessage);
  });
}

function request(child, cmd) {
  return new Promise(resolve => {
    const onMessage = message => {
      if (message.cmd === cmd) {
        child.off('message', onMessage);
        resolve(message);
      }
    };
    child.on('message', onMessage);
    child.send({ cmd });
  });
}

function stop(child) {
  return new Promise(resolve => {
    child.stopping = true;
    child.once('exit', resolve);
    child.send({ cmd: 'stop' });
  });
}

function runLoad(server) {
  const child = fork(
    path.join(__dirname, 'loadgen.ts'),
    [
      JSON.stringify({
        ...settings,
        port: server.port,
        projectId: server.projects[0].id,
        publicKey: server.projects[0].publicKey,
      }),
    ],
    { execArgv: ['--require', TRANSFORM] },
  );
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once(
      'exit',
      code => code && reject(new Error(`loadgen exited with ${code}`)),
    );
  });
}

async function measure(name, script, env) {
  const server = await startServer(script, env);
  const load = await runLoad(server);
  const accepted = load.statuses[200] ?? 0;
  // Responses come after the commit, so this should already hold; wait for it anyway.
  let stats = await request(server.child, 'stats');
  const waitUntil = Date.now() + 60_000;
  while (
    (stats.events < accepted || stats.counted < accepted) &&
    Date.now() < waitUntil
  ) {
    await new Promise(r => setTimeout(r, 100));
    stats = await request(server.child, 'stats');
  }
  const drainedAt = Date.now();
  const seconds =
    (Math.max(drainedAt, load.finishedAt) - load.startedAt) / 1000;
  const processedAtResponse = (load.finishedAt - load.startedAt) / 1000;
  await stop(server.child);
  const result = {
    name,
    sent: load.sent,
    statuses: load.statuses,
    stored: stats.events,
    groups: stats.groups,
    eventsPerSecond: Math.round(
      stats.events / Math.max(seconds, processedAtResponse),
    ),
    p50: load.p50,
    p99: load.p99,
    max: load.max,
    peakRssMb: Math.round(stats.maxRssBytes / 1024 / 1024),
    startRssMb: Math.round(server.rssBytes / 1024 / 1024),
    heapMb: Math.round(stats.heapUsedBytes / 1024 / 1024),
  };
  return result;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'product-os-bench-'));
  const prefix = `bench_${process.pid}_`;
  const database = usePg
    ? { client: 'pg', connection: PG, prefix }
    : { client: 'better-sqlite3', connection: { directory: tmp } };
  const engine = usePg ? 'PostgreSQL' : 'SQLite (temporary file)';
  console.log(
    `Sentry ingestion benchmark: ${settings.events} events over ${settings.groups} groups, ` +
      `${settings.concurrency} concurrent requests, ${engine}, ${
        os.cpus().length
      } CPUs`,
  );
  try {
    const backend = await measure(
      'backend',
      path.join(__dirname, 'backend.ts'),
      {
        BENCH_DATABASE: JSON.stringify(database),
      },
    );
    const bare = await measure(
      'bare node:http',
      path.join(__dirname, 'bareServer.ts'),
      {},
    );
    for (const r of [backend, bare]) {
      console.log(
        `${r.name.padEnd(15)} ${String(r.eventsPerSecond).padStart(
          6,
        )} events/s fully processed` +
          `  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms` +
          `  peak RSS ${r.peakRssMb} MB (${r.startRssMb} MB after start, live heap ${r.heapMb} MB at end)` +
          `  (${r.stored}/${r.sent} stored${
            r.groups ? `, ${r.groups} groups` : ''
          }, statuses ${JSON.stringify(r.statuses)})`,
      );
    }
    console.log(
      `ratio backend / bare: ${(
        backend.eventsPerSecond / bare.eventsPerSecond
      ).toFixed(2)}`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (usePg) await dropPgDatabase(`${prefix}product-os`);
  }
}

async function dropPgDatabase(name) {
  const { Client } = require(require.resolve('pg', { paths: [repoRoot] }));
  const client = new Client({ connectionString: PG });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
