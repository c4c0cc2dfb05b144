/*
 * Reads at an organisation's volume (`yarn bench:read`).
 *
 * For each engine (SQLite in a temporary file, PostgreSQL on a database of its own) and each
 * size, starts the backend (Product OS plugin, Sentry module, a catalog of 50 components) in a
 * child process, loads a seeded 90-day history of error events for the 50 entities and their
 * 500 groups through the real write path (Sentry envelopes to the module's endpoint: its
 * envelope parser, the store's ingest), printing events/s as it goes, runs ANALYZE on
 * PostgreSQL, then asks every read route of the portal from 10 concurrent clients and prints
 * p50 / p95 per route. Compare the sizes: a read's cost should not grow with the data stored.
 *
 *   --sizes=10k,100k,1M   (default: all three; 1M takes a while to load)
 *   --engines=sqlite,pg   (default: both)
 *   --requests=100        counted requests per route (after one warm-up per client)
 *   --clients=10          concurrent read clients
 *   --batch=50            events per envelope while loading
 *   --load-concurrency=4  envelopes in flight while loading
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
};

interface SizeResult {
  size: number;
  eventsPerSecond: number;
  routes: Map<string, RouteLatency>;
}

async function runSize(engine: Engine, size: number): Promise<SizeResult> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'product-os-read-'));
  const prefix = `bench_read_${process.pid}_${label(size).toLowerCase()}_`;
  const database = databaseConfig(engine, {
    directory: tmp,
    prefix,
    postgres: postgresServer(),
  });
  const server = await startServer(
    path.join(__dirname, '../ingest/backend.ts'),
    {
      BENCH_DATABASE: JSON.stringify(database),
      BENCH_ENTITIES: String(ENTITIES),
    },
  );
  try {
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
    const load = await loadHistory(history, {
      port: server.port,
      projects: server.projects,
      batch: settings.batch,
      concurrency: settings.loadConcurrency,
    });
    const stats = await ask(server.child, 'stats');
    const eventsPerSecond = Math.round(stats.events / load.seconds);
    console.log(
      `  loaded in ${load.seconds.toFixed(0)} s: ${eventsPerSecond} events/s; ${
        stats.events
      } events stored in ${stats.groups} groups (answers ${JSON.stringify(
        load.statuses,
      )})`,
    );
    if (engine === 'postgres') await analyze(`${prefix}product-os`);

    const routes = new Map<string, RouteLatency>();
    const entityNames = server.projects.map(p => p.slug);
    for (const route of READ_ROUTES) {
      const latency = await driveRoute(route, {
        port: server.port,
        entityNames,
        clients: settings.clients,
        requests: settings.requests,
      });
      routes.set(route.name, latency);
      const failed = Object.keys(latency.failures).length
        ? `  (not 200: ${JSON.stringify(latency.failures)})`
        : '';
      console.log(
        `  ${route.name.padEnd(26)} p50 ${ms(latency.p50)}  p95 ${ms(
          latency.p95,
        )}  (${(latency.meanBytes / 1024).toFixed(1)} KB an answer)${failed}`,
      );
    }
    return { size, eventsPerSecond, routes };
  } finally {
    await stopServer(server.child);
    fs.rmSync(tmp, { recursive: true, force: true });
    if (engine === 'postgres')
      await dropPostgresDatabase(`${prefix}product-os`);
  }
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
        .map(s => `${label(s.size)} events`.padStart(20))
        .join('')}`,
    );
    for (const route of READ_ROUTES) {
      console.log(
        `  ${route.name.padEnd(26)}${sizes
          .map(s => {
            const l = s.routes.get(route.name)!;
            return `${ms(l.p50).trim()} / ${ms(l.p95).trim()}`.padStart(20);
          })
          .join('')}`,
      );
    }
    console.log(
      `  ${'ingest while loading'.padEnd(26)}${sizes
        .map(s => `${s.eventsPerSecond} events/s`.padStart(20))
        .join('')}`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
