/*
 * Reads at an organisation's volume (`yarn bench:read`).
 *
 * For each engine (SQLite in a temporary file, PostgreSQL on a database of its own) and each
 * size, starts the backend (Product OS plugin, Sentry module, a catalog of 50 components) in a
 * child process, loads a seeded 90-day history of error events for the 50 entities and their
 * 500 groups through the real write path (Sentry envelopes to the module's endpoint: its
 * envelope parser, the store's ingest), printing events/s as it goes, runs ANALYZE on
 * PostgreSQL, asks every read route once per entity to warm the backend up, then asks every
 * read route of the portal from 10 concurrent clients and prints p50 / p95 per route and the
 * backend's CPU per answer (what a busy machine disturbs least).
 * Compare the sizes: a read's cost should not grow with the data stored.
 *
 *   --sizes=10k,100k,1M   (default: all three; 1M takes a while to load)
 *   --engines=sqlite,pg   (default: both)
 *   --requests=100        counted requests per route (after one warm-up per client)
 *   --clients=10          concurrent read clients
 *   --routes=/overview    only the routes whose name starts with one of these (comma-separated);
 *                         with BENCH_PROFILE_DIR set, the backend writes a CPU profile there
 *   --batch=50            events per envelope while loading
 *   --load-concurrency=4  envelopes in flight while loading
 *   --keep=DIR            keep each loaded database (SQLite files under DIR, PostgreSQL
 *                         databases named bench_read_kept_<size>_product-os) and, when DIR
 *                         already holds one, read it again instead of loading: the backend
 *                         migrates it first, as an upgrade would. The history ends when it was
 *                         loaded, so a kept one is older than a fresh one by the time since.
 *
 * PostgreSQL: BENCH_PG_CONNECTION, BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING or
 * postgresql://postgres@127.0.0.1:5432; the database is created by the backend and dropped after.
 */
import fs from 'fs';
import knexFactory from 'knex';
import os from 'os';
import path from 'path';
import { dropPostgresDatabase, postgresServer } from '../postgres';
import {
  ask,
  databaseConfig,
  ServerProcess,
  startServer,
  stopServer,
} from '../ingest/backendProcess';
import { driveRoute, READ_ROUTES, RouteLatency } from './driveReads';
import { errorHistory } from './history';
import { loadHistory } from './loadHistory';

const ENTITIES = 50;
const GROUPS_PER_ENTITY = 10;
const DAYS = 90;

type Engine = 'sqlite' | 'postgres';
const ENGINE_NAMES: Record<Engine, string> = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL (analysed)',
};

function option(name: string): string | undefined {
  return process.argv
    .find(a => a.startsWith(`--${name}=`))
    ?.slice(name.length + 3);
}

/** `10k` → 10000, `1M` → 1000000. */
function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!match) throw new Error(`Not a size: '${text}' (e.g. 10k, 100k, 1M)`);
  const unit = { '': 1, k: 1e3, m: 1e6 }[
    match[2].toLowerCase() as '' | 'k' | 'm'
  ];
  return Math.round(Number(match[1]) * unit);
}

const ENGINE_FLAGS: Record<string, Engine | undefined> = {
  sqlite: 'sqlite',
  pg: 'postgres',
  postgres: 'postgres',
};

function parseEngine(text: string): Engine {
  const engine = ENGINE_FLAGS[text.trim()];
  if (!engine) throw new Error(`Not an engine: '${text}' (sqlite or pg)`);
  return engine;
}

function label(size: number): string {
  if (size >= 1e6) return `${size / 1e6}M`;
  return size >= 1e3 ? `${size / 1e3}k` : String(size);
}

const settings = {
  sizes: (option('sizes') ?? '10k,100k,1M').split(',').map(parseSize),
  engines: (option('engines') ?? 'sqlite,pg').split(',').map(parseEngine),
  requests: Number(option('requests') ?? 100),
  clients: Number(option('clients') ?? 10),
  batch: Number(option('batch') ?? 50),
  loadConcurrency: Number(option('load-concurrency') ?? 4),
  keep: option('keep'),
  routes: option('routes')?.split(','),
};

/** The routes asked: all, or those `--routes` names. */
const routesAsked = READ_ROUTES.filter(
  route =>
    !settings.routes ||
    settings.routes.some(name => route.name.startsWith(name)),
);

interface SizeResult {
  size: number;
  eventsPerSecond: number;
  routes: Map<string, RouteLatency & { cpuMs: number }>;
}

async function runSize(engine: Engine, size: number): Promise<SizeResult> {
  const kept = settings.keep
    ? path.join(path.resolve(settings.keep), `${engine}-${label(size)}`)
    : undefined;
  const tmp =
    kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'product-os-read-'));
  fs.mkdirSync(tmp, { recursive: true });
  const prefix = kept
    ? `bench_read_kept_${label(size).toLowerCase()}_`
    : `bench_read_${process.pid}_${label(size).toLowerCase()}_`;
  const loadedMarker = path.join(tmp, 'loaded.json');
  const database = databaseConfig(engine, {
    directory: tmp,
    prefix,
    postgres: postgresServer(),
  });
  const started = Date.now();
  const server = await startServer(
    path.join(__dirname, '../ingest/backend.ts'),
    {
      BENCH_DATABASE: JSON.stringify(database),
      BENCH_ENTITIES: String(ENTITIES),
    },
  );
  try {
    let eventsPerSecond: number;
    if (kept && fs.existsSync(loadedMarker)) {
      const marker = JSON.parse(fs.readFileSync(loadedMarker, 'utf8'));
      eventsPerSecond = marker.eventsPerSecond;
      console.log(
        `  reading the kept ${label(size)} events loaded at ${
          marker.loadedAt
        } (backend up, migrations included, in ${(
          (Date.now() - started) /
          1000
        ).toFixed(0)} s)`,
      );
    } else {
      eventsPerSecond = await load(server, size);
      if (kept) {
        fs.writeFileSync(
          loadedMarker,
          JSON.stringify({
            loadedAt: new Date().toISOString(),
            eventsPerSecond,
          }),
        );
      }
    }
    if (engine === 'postgres') await analyze(`${prefix}product-os`);

    const routes = new Map<string, RouteLatency & { cpuMs: number }>();
    const entityNames = server.projects.map(p => p.slug);
    // A round of every route for every entity first, not counted: a backend just started (its
    // code not yet compiled by V8, PostgreSQL's named statements not yet planned on every
    // connection) would otherwise count against whichever route is measured first.
    for (const route of routesAsked) {
      await driveRoute(route, {
        port: server.port,
        entityNames,
        clients: settings.clients,
        requests: entityNames.length,
      });
    }
    for (const route of routesAsked) {
      const cpuBefore = (await ask(server.child, 'cpu')).cpuMicros;
      const measured = await driveRoute(route, {
        port: server.port,
        entityNames,
        clients: settings.clients,
        requests: settings.requests,
      });
      // The backend's CPU per answer (warm-up included), which other work on the machine
      // disturbs far less than the latencies.
      const cpuMs =
        ((await ask(server.child, 'cpu')).cpuMicros - cpuBefore) /
        1000 /
        (settings.requests + settings.clients);
      const latency = { ...measured, cpuMs };
      routes.set(route.name, latency);
      const failed = Object.keys(latency.failures).length
        ? `  (not 200: ${JSON.stringify(latency.failures)})`
        : '';
      console.log(
        `  ${route.name.padEnd(26)} p50 ${ms(latency.p50)}  p95 ${ms(
          latency.p95,
        )}  CPU ${ms(latency.cpuMs)} an answer  (${(
          latency.meanBytes / 1024
        ).toFixed(1)} KB an answer)${failed}`,
      );
    }
    return { size, eventsPerSecond, routes };
  } finally {
    await stopServer(server.child);
    if (!kept) {
      fs.rmSync(tmp, { recursive: true, force: true });
      if (engine === 'postgres')
        await dropPostgresDatabase(`${prefix}product-os`);
    }
  }
}

/** Loads the seeded history through the Sentry endpoint; answers the events stored per second. */
async function load(server: ServerProcess, size: number): Promise<number> {
  const history = errorHistory(
    {
      entities: ENTITIES,
      groupsPerEntity: GROUPS_PER_ENTITY,
      days: DAYS,
      events: size,
    },
    Date.now(),
  );
  console.log(`  loading ${label(size)} events`);
  const loaded = await loadHistory(history, {
    port: server.port,
    projects: server.projects,
    batch: settings.batch,
    concurrency: settings.loadConcurrency,
  });
  const stats = await ask(server.child, 'stats');
  const eventsPerSecond = Math.round(stats.events / loaded.seconds);
  console.log(
    `  loaded in ${loaded.seconds.toFixed(0)} s: ${eventsPerSecond} events/s; ${
      stats.events
    } events stored in ${stats.groups} groups (answers ${JSON.stringify(
      loaded.statuses,
    )})`,
  );
  return eventsPerSecond;
}

/** Fresh statistics for the planner, as autovacuum would have gathered by the time of reading. */
async function analyze(databaseName: string) {
  const knex = knexFactory({
    client: 'pg',
    connection: `${postgresServer()}/${databaseName}`,
  });
  try {
    await knex.raw('ANALYZE');
  } finally {
    await knex.destroy();
  }
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`.padStart(8);
}

async function main() {
  console.log(
    `Read benchmark: ${ENTITIES} entities, ${
      ENTITIES * GROUPS_PER_ENTITY
    } error groups, ${DAYS} days; ` +
      `${settings.clients} concurrent clients, ${
        settings.requests
      } requests per route; ${os.cpus().length} CPUs`,
  );
  const results = new Map<Engine, SizeResult[]>();
  for (const engine of settings.engines) {
    results.set(engine, []);
    for (const size of settings.sizes) {
      console.log(`${ENGINE_NAMES[engine]}, ${label(size)} events:`);
      results.get(engine)!.push(await runSize(engine, size));
    }
  }

  console.log('\np50 / p95 per route and size:');
  for (const [engine, sizes] of results) {
    console.log(`\n${ENGINE_NAMES[engine]}`);
    console.log(
      `  ${'route'.padEnd(26)}${sizes
        .map(s => `${label(s.size)} events`.padStart(32))
        .join('')}`,
    );
    for (const route of routesAsked) {
      console.log(
        `  ${route.name.padEnd(26)}${sizes
          .map(s => {
            const l = s.routes.get(route.name)!;
            return `${ms(l.p50).trim()} / ${ms(l.p95).trim()} (CPU ${ms(
              l.cpuMs,
            ).trim()})`.padStart(32);
          })
          .join('')}`,
      );
    }
    console.log(
      `  ${'ingest while loading'.padEnd(26)}${sizes
        .map(s => `${s.eventsPerSecond} events/s`.padStart(32))
        .join('')}`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
