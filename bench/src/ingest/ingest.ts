/*
 * Sentry ingestion benchmark (`yarn bench:ingest [--pg] [--events N] [--concurrency C]`).
 *
 * 1. Starts the backend (Product OS plugin + Sentry module + catalog mock) in a child process on
 *    SQLite in a temporary file, or with --pg (or BENCH_PG=1) on the local PostgreSQL.
 * 2. Drives envelope ingestion from a separate child process: ~10 KB events over 200 groups,
 *    keep-alive loopback connections, a bounded count and a bounded time.
 * 3. Waits until every accepted event is stored and counted in its group (the backlog drained),
 *    and prints events/s, p50/p99 request latency, the backend's peak RSS and CPU per event, and
 *    the rate in each fifth of the run (flat when storing stays as fast as the tables fill).
 * 4. Runs the same load against a bare node:http server that only reads and parses envelopes,
 *    the ceiling, and prints the ratio; and against a Backstage backend whose one route does
 *    only that (floorServer.ts), which shows how much of the gap is Backstage's HTTP stack.
 */
import { fork } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { dropPostgresDatabase, postgresServer } from '../postgres';
import {
  ask,
  databaseConfig,
  ServerProcess,
  startServer,
  stopServer,
  TRANSFORM,
} from './backendProcess';

function option(name: string, fallback: number): number {
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

interface Load {
  startedAt: number;
  finishedAt: number;
  sent: number;
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  fifths: number[];
}

/** The backend's CPU when a number of events had been answered. */
interface CpuMark {
  answered: number;
  cpuMicros: number;
}

function runLoad(server: ServerProcess, marks: CpuMark[]): Promise<Load> {
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
    // The TypeScript transform also talks over IPC (`watch` messages); only the result counts.
    child.on('message', (message: any) => {
      if (message.cmd === 'load') resolve(message);
      if (message.cmd === 'progress') {
        ask(server.child, 'cpu').then(({ cpuMicros }) =>
          marks.push({ answered: message.answered, cpuMicros }),
        );
      }
    });
    child.once(
      'exit',
      code => code && reject(new Error(`loadgen exited with ${code}`)),
    );
  });
}

async function measure(
  name: string,
  script: string,
  env: Record<string, string>,
) {
  const server = await startServer(script, env);
  const cpuBefore = (await ask(server.child, 'stats')).cpuMicros;
  const marks: CpuMark[] = [{ answered: 0, cpuMicros: cpuBefore }];
  const load = await runLoad(server, marks);
  const accepted = load.statuses[200] ?? 0;
  // Responses come after the commit, so this should already hold; wait for it anyway.
  let stats = await ask(server.child, 'stats');
  const waitUntil = Date.now() + 60_000;
  while (
    (stats.events < accepted || stats.counted < accepted) &&
    Date.now() < waitUntil
  ) {
    await new Promise(r => setTimeout(r, 100));
    stats = await ask(server.child, 'stats');
  }
  const drainedAt = Date.now();
  const seconds =
    (Math.max(drainedAt, load.finishedAt) - load.startedAt) / 1000;
  const processedAtResponse = (load.finishedAt - load.startedAt) / 1000;
  await stopServer(server.child);
  return {
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
    fifths: load.fifths,
    // CPU per event of each fifth: flat when storing costs the same as the tables fill.
    cpuByFifth: marks
      .slice(1)
      .map((mark, i) =>
        Math.round(
          (mark.cpuMicros - marks[i].cpuMicros) /
            Math.max(mark.answered - marks[i].answered, 1),
        ),
      ),
    peakRssMb: Math.round(stats.maxRssBytes / 1024 / 1024),
    startRssMb: Math.round(server.rssBytes / 1024 / 1024),
    heapMb: Math.round(stats.heapUsedBytes / 1024 / 1024),
    // CPU per stored event, which a busy machine disturbs less than events per second.
    cpuMicrosPerEvent: Math.round(
      (stats.cpuMicros - cpuBefore) / Math.max(stats.events, 1),
    ),
  };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'product-os-bench-'));
  const prefix = `bench_${process.pid}_`;
  const database = databaseConfig(usePg ? 'postgres' : 'sqlite', {
    directory: tmp,
    prefix,
    postgres: postgresServer(),
  });
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
      { BENCH_DATABASE: JSON.stringify(database) },
    );
    const floor = await measure(
      'Backstage floor',
      path.join(__dirname, 'floorServer.ts'),
      {},
    );
    const bare = await measure(
      'bare node:http',
      path.join(__dirname, 'bareServer.ts'),
      {},
    );
    for (const r of [backend, floor, bare]) {
      console.log(
        `${r.name.padEnd(15)} ${String(r.eventsPerSecond).padStart(
          6,
        )} events/s fully processed` +
          `  ${r.cpuMicrosPerEvent} µs CPU/event` +
          `  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms` +
          `  peak RSS ${r.peakRssMb} MB (${r.startRssMb} MB after start, live heap ${r.heapMb} MB at end)` +
          `  (${r.stored}/${r.sent} stored${
            r.groups ? `, ${r.groups} groups` : ''
          }, statuses ${JSON.stringify(r.statuses)})` +
          `  by fifth of the run: events/s ${r.fifths.join(
            ' / ',
          )}, µs CPU/event ${r.cpuByFifth.join(' / ')}`,
      );
    }
    const ratio = (a: typeof bare, b: typeof bare) =>
      `${(a.eventsPerSecond / b.eventsPerSecond).toFixed(2)} (CPU per event ${(
        a.cpuMicrosPerEvent / b.cpuMicrosPerEvent
      ).toFixed(1)}×)`;
    console.log(
      `ratio backend / bare: ${ratio(backend, bare)}; ` +
        `Backstage floor / bare: ${ratio(floor, bare)}; ` +
        `backend / Backstage floor: ${ratio(backend, floor)}`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (usePg) await dropPostgresDatabase(`${prefix}product-os`);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
