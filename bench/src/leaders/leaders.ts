/*
 * DORA, health and roll-ups at an organisation's size (`yarn bench:leaders`).
 *
 * For each engine (SQLite in a temporary file, PostgreSQL on a database of its own): 5,000
 * components in 300 groups nested up to 5 deep, with 3 years of production deployments (one every
 * 4 days per component, each shipping a commit), an incident after every 20th deployment, and a
 * diagnosis naming every 50th. Then it times:
 * - the full recompute: the snapshot task's run for today over every component, group, system and
 *   domain (health with all its inputs, DORA over 7/30/90 days and the periods before), written;
 * - a team's roll-up read (the root, every service, and a team of the middle of the tree), 20
 *   times each after a warm-up, as the route answers it just after the recompute (today's figures
 *   from its rows), with the share of the catalog's answer (an in-memory mock here) beside it.
 *
 *   --engines=sqlite,pg   (default: both)
 *   --entities=5000 --groups=300 --years=3
 *
 * PostgreSQL: BENCH_PG_CONNECTION, BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING or
 * postgresql://postgres@127.0.0.1:5432; the database is created here and dropped after.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createProductOsStores } from '@internal/plugin-product-os-backend/src/database/createProductOsStores';
import { EntityAccess } from '@internal/plugin-product-os-backend/src/entities/EntityAccess';
import { LeadersService } from '@internal/plugin-product-os-backend/src/leaders/LeadersService';
import { SnapshotStore } from '@internal/plugin-product-os-backend/src/leaders/snapshots/SnapshotStore';
import { SnapshotWriter } from '@internal/plugin-product-os-backend/src/leaders/snapshots/SnapshotWriter';
import { DEFAULT_HEALTH_WEIGHTS } from '@internal/plugin-product-os-backend/src/read/healthScore';
import fs from 'fs';
import knexFactory, { Knex } from 'knex';
import os from 'os';
import path from 'path';
import { createBenchLifecycle } from '../benchLifecycle';
import { dropPostgresDatabase, postgresServer } from '../postgres';

const DAY_MS = 86_400_000;

function option(name: string, fallback: string): string {
  return (
    process.argv
      .find(a => a.startsWith(`--${name}=`))
      ?.slice(name.length + 3) ?? fallback
  );
}

const ENTITIES = Number(option('entities', '5000'));
const GROUPS = Number(option('groups', '300'));
const YEARS = Number(option('years', '3'));
const ENGINES = option('engines', 'sqlite,pg').split(',');

/** Groups in a tree: each group's parent is one of the groups before it, at most 5 deep. */
function groupTree(): { name: string; parent?: string; depth: number }[] {
  const groups: { name: string; parent?: string; depth: number }[] = [
    { name: 'g0', depth: 1 },
  ];
  for (let i = 1; i < GROUPS; i++) {
    let parentIndex = Math.floor((i - 1) / 4);
    while (groups[parentIndex].depth >= 5)
      parentIndex = Math.floor((parentIndex - 1) / 4);
    const parent = groups[parentIndex];
    groups.push({
      name: `g${i}`,
      parent: parent.name,
      depth: parent.depth + 1,
    });
  }
  return groups;
}

function catalog(groups: ReturnType<typeof groupTree>): Entity[] {
  const children = new Map<string, string[]>();
  for (const g of groups)
    if (g.parent)
      children.set(g.parent, [...(children.get(g.parent) ?? []), g.name]);
  const entities: Entity[] = groups.map(g => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: g.name, namespace: 'default' },
    spec: { type: 'team', children: children.get(g.name) ?? [] },
    relations: (children.get(g.name) ?? []).map(c => ({
      type: 'parentOf',
      targetRef: `group:default/${c}`,
    })),
  }));
  for (let i = 0; i < ENTITIES; i++) {
    const owner = `group:default/g${i % GROUPS}`;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `svc-${i}`,
        namespace: 'default',
        annotations: { 'github.com/project-slug': `acme/svc-${i}` },
      },
      spec: {
        type: 'service',
        owner,
        lifecycle: 'production',
        system: `sys-${i % 100}`,
      },
      relations: [{ type: 'ownedBy', targetRef: owner }],
    });
  }
  for (let s = 0; s < 100; s++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: `sys-${s}`, namespace: 'default' },
      spec: { owner: 'group:default/g0', domain: `domain-${s % 10}` },
    });
  }
  return entities;
}

async function insert(knex: Knex, table: string, rows: object[]) {
  const size = Math.floor(
    30000 / Math.max(1, Object.keys(rows[0] ?? {}).length),
  );
  const part = Math.min(500, size);
  await knex.transaction(async tx => {
    for (let i = 0; i < rows.length; i += part)
      await tx(table).insert(rows.slice(i, i + part));
  });
}

async function seed(knex: Knex, now: number) {
  const start = now - YEARS * 365 * DAY_MS;
  const started = Date.now();
  let deployments = 0;
  let incidents = 0;
  for (let i = 0; i < ENTITIES; i++) {
    const entityRef = `component:default/svc-${i}`;
    const changes: object[] = [];
    const entityIncidents: object[] = [];
    let n = 0;
    for (let t = start + (i % 4) * DAY_MS; t < now; t += 4 * DAY_MS, n++) {
      const sha = `${i}-${n}`;
      changes.push(
        {
          entity_ref: entityRef,
          source: 'github',
          kind: 'commit',
          external_id: sha,
          sha,
          title: `Change ${n}`,
          occurred_at: t - 5 * 3_600_000,
          files: '[]',
        },
        {
          entity_ref: entityRef,
          source: 'github',
          kind: 'deployment',
          external_id: `d${sha}`,
          sha,
          title: `Deploy ${sha}`,
          environment: 'production',
          status: 'success',
          occurred_at: t,
          finished_at: t + 600_000,
          files: '[]',
        },
      );
      if (n % 20 === 0) {
        entityIncidents.push({
          entity_ref: entityRef,
          source: 'pagerduty',
          external_id: `i${sha}`,
          title: 'Incident',
          status: 'resolved',
          created_at: t + 3_600_000,
          resolved_at: t + 5 * 3_600_000,
          assignees: '[]',
        });
      }
    }
    deployments += changes.length / 2;
    incidents += entityIncidents.length;
    await insert(knex, 'change_events', changes);
    if (entityIncidents.length)
      await insert(knex, 'incidents', entityIncidents);
  }
  // A diagnosis naming every 50th deployment of the last 90 days.
  const named: {
    id: number;
    entity_ref: string;
    occurred_at: string | number;
  }[] = await knex('change_events')
    .where('kind', 'deployment')
    .where('occurred_at', '>=', now - 90 * DAY_MS)
    .whereRaw('id % 50 = 0')
    .select('id', 'entity_ref', 'occurred_at');
  for (let i = 0; i < named.length; i += 200) {
    const slice = named.slice(i, i + 200);
    const ids: { id: number }[] = await knex('diagnoses')
      .insert(
        slice.map(c => ({
          entity_ref: c.entity_ref,
          summary: 'Errors rose after a deployment',
          confidence: 0.7,
          status: 'open',
          actionability: 'actionable',
          reviewers: '[]',
          impact: '{}',
          created_at: Number(c.occurred_at) + 3_600_000,
          updated_at: Number(c.occurred_at) + 3_600_000,
        })),
      )
      .returning('id');
    await knex('diagnosis_suspects').insert(
      slice.map((c, j) => ({
        diagnosis_id: typeof ids[j] === 'object' ? ids[j].id : ids[j],
        change_event_id: c.id,
        rank: 1,
        score: 0.7,
        confidence: 0.7,
      })),
    );
  }
  if (knex.client.config.client === 'pg') await knex.raw('ANALYZE');
  return {
    deployments,
    incidents,
    diagnoses: named.length,
    seconds: (Date.now() - started) / 1000,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function run(engine: string) {
  let knex: Knex;
  let cleanup: () => Promise<void>;
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-leaders-'));
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'leaders.sqlite') },
      useNullAsDefault: true,
    });
    cleanup = async () => {
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const name = `bench_leaders_${process.pid}`;
    const admin = knexFactory({
      client: 'pg',
      connection: `${postgresServer()}/postgres`,
    });
    await admin.raw(`CREATE DATABASE "${name}"`);
    await admin.destroy();
    knex = knexFactory({
      client: 'pg',
      connection: `${postgresServer()}/${name}`,
    });
    cleanup = async () => {
      await knex.destroy();
      await dropPostgresDatabase(name);
    };
  }
  // Stops the store's SQLite checkpoint worker, which would otherwise keep the process alive.
  const lifecycle = createBenchLifecycle();
  try {
    await createProductOsStores({
      database: mockServices.database({ knex }),
      lifecycle,
    });
    const now = Date.now();
    const groups = groupTree();
    const entities = catalog(groups);
    const seeded = await seed(knex, now);
    console.log(
      `${engine}: seeded ${seeded.deployments} deployments, ${
        seeded.incidents
      } incidents, ${
        seeded.diagnoses
      } diagnoses for ${ENTITIES} components in ${GROUPS} groups (depth ≤ ${Math.max(
        ...groups.map(g => g.depth),
      )}) in ${seeded.seconds.toFixed(0)} s`,
    );
    const access = new EntityAccess(catalogServiceMock({ entities }));
    const health = {
      weights: DEFAULT_HEALTH_WEIGHTS,
      environments: ['production'],
    };
    const snapshots = new SnapshotStore(knex);
    const writer = new SnapshotWriter({
      knex,
      entities: access,
      auth: mockServices.auth(),
      snapshots,
      health,
      logger: mockServices.rootLogger({ level: 'warn' }),
    });
    // Every past day written first, so the timed run is a day's recompute of everything.
    const backfillStart = Date.now();
    const backfill = await writer.run(now);
    console.log(
      `${engine}: first run (90 days back-filled): ${backfill.rows} rows in ${(
        (Date.now() - backfillStart) /
        1000
      ).toFixed(1)} s`,
    );
    const recomputeStart = Date.now();
    const recompute = await writer.run(now + 1000);
    console.log(
      `${engine}: full recompute (today, ${recompute.rows} subjects): ${(
        (Date.now() - recomputeStart) /
        1000
      ).toFixed(2)} s`,
    );

    const leaders = new LeadersService({
      knex,
      entities: access,
      snapshots,
      health,
      tieMargin: 5,
    });
    const credentials = mockCredentials();
    // After the recompute, as a request would come: today's figures are the run's rows.
    const readAt = now + 2000;
    for (const team of ['group:default/g0', 'group:default/g20']) {
      await leaders.rollup('group', team, credentials, readAt);
      const times: number[] = [];
      const catalogTimes: number[] = [];
      let members = 0;
      let asOf = '';
      for (let i = 0; i < 20; i++) {
        const t0 = performance.now();
        const rollup = await leaders.rollup('group', team, credentials, readAt);
        times.push(performance.now() - t0);
        members = rollup.members.length;
        asOf = rollup.asOf;
        // The catalog's share: in a portal it is the catalog backend's query, not ours.
        const t1 = performance.now();
        await leaders.membersOf('group', team, credentials);
        catalogTimes.push(performance.now() - t1);
      }
      console.log(
        `${engine}: roll-up of ${team} (${members} services, as of ${
          asOf === new Date(now + 1000).toISOString() ? 'the run' : asOf
        }): p50 ${percentile(times, 0.5).toFixed(0)} ms, p95 ${percentile(
          times,
          0.95,
        ).toFixed(
          0,
        )} ms; of which the catalog's answer (in-memory mock) p50 ${percentile(
          catalogTimes,
          0.5,
        ).toFixed(0)} ms`,
      );
    }
  } finally {
    await lifecycle.shutdown();
    await cleanup();
  }
}

function mockCredentials() {
  return {
    $$type: '@backstage/BackstageCredentials' as const,
    principal: { type: 'user' as const, userEntityRef: 'user:default/leader' },
  };
}

(async () => {
  for (const engine of ENGINES) await run(engine === 'pg' ? 'pg' : 'sqlite');
})().catch(error => {
  console.error(error);
  process.exit(1);
});
