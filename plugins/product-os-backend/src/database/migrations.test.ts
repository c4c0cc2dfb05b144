import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@internal/plugin-product-os-backend',
  'migrations',
);

const TABLES = [
  'error_groups',
  'error_buckets',
  'error_days',
  'error_events',
  'error_users',
  'error_event_ids',
  'change_events',
  'incidents',
  'incident_events',
  'metric_points',
  'metric_users',
  'anomalies',
  'diagnoses',
  'diagnosis_suspects',
  'diagnosis_evidence',
  'sync_state',
  'deliveries',
  'unmapped_deliveries',
  'audit_log',
];

/** Every table in the database apart from knex's own bookkeeping. */
async function userTables(knex: Knex): Promise<string[]> {
  const client = String(knex.client.config.client);
  const names: string[] =
    client === 'pg'
      ? (
          await knex('pg_tables')
            .where('schemaname', knex.raw('current_schema()'))
            .select('tablename as name')
        ).map((row: { name: string }) => row.name)
      : (
          await knex('sqlite_master')
            .where('type', 'table')
            .whereNot('name', 'like', 'sqlite_%')
            .select('name')
        ).map((row: { name: string }) => row.name);
  return names.filter(name => !name.startsWith('knex_migrations')).sort();
}

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    it('creates every table, removes them all on the way down, and creates them again', async () => {
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await userTables(knex)).toEqual(expect.arrayContaining(TABLES));
      const [, pending] = await knex.migrate.list({ directory: migrationsDir });
      expect(pending).toEqual([]);

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      expect(await userTables(knex)).toEqual([]);
      expect(
        await knex.migrate.currentVersion({ directory: migrationsDir }),
      ).toBe('none');

      await knex.migrate.latest({ directory: migrationsDir });
      expect(await userTables(knex)).toEqual(expect.arrayContaining(TABLES));
    });

    it('steps down one migration at a time to zero', async () => {
      await knex.migrate.latest({ directory: migrationsDir });
      const [completed] = await knex.migrate.list({ directory: migrationsDir });
      expect(completed.length).toBeGreaterThan(0);

      for (let i = 0; i < completed.length; i++) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      expect(await userTables(knex)).toEqual([]);
      expect(
        await knex.migrate.currentVersion({ directory: migrationsDir }),
      ).toBe('none');

      await knex.migrate.up({ directory: migrationsDir });
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await userTables(knex)).toEqual(expect.arrayContaining(TABLES));
    });

    it('keeps fractional scores and confidences exactly as written', async () => {
      await knex.migrate.latest({ directory: migrationsDir });
      const [anomaly] = await knex('anomalies')
        .insert({
          entity_ref: 'component:default/checkout',
          kinds: '["error_spike"]',
          onset_at: 1_763_700_000_000,
          detected_at: 1_763_700_300_000,
          magnitude: 14.2,
          score: 2 / 3,
        })
        .returning(['id']);
      const row = await knex('anomalies').where({ id: anomaly.id }).first();
      expect(Number(row.magnitude)).toBe(14.2);
      expect(Number(row.score)).toBe(2 / 3);
    });

    it('removes an error group’s buckets, samples and user keys with it', async () => {
      await knex.migrate.latest({ directory: migrationsDir });
      if (databaseId === 'SQLITE_3') await knex.raw('PRAGMA foreign_keys = ON');
      const [group] = await knex('error_groups')
        .insert({
          entity_ref: 'component:default/checkout',
          source: 'sentry',
          fingerprint: 'cascade-check',
          title: 'TypeError',
          first_seen: 1_763_700_000_000,
          last_seen: 1_763_700_000_000,
          event_count: 1,
        })
        .returning(['id']);
      await knex('error_buckets').insert({
        group_id: group.id,
        bucket_start: 1_763_697_600_000,
        count: 1,
        users: 1,
      });
      await knex('error_users').insert({
        group_id: group.id,
        bucket_start: 1_763_697_600_000,
        user_key: 'u1',
      });
      await knex('error_events').insert({
        group_id: group.id,
        source: 'sentry',
        event_id: 'cascade-e1',
        timestamp: 1_763_700_000_000,
      });

      await knex('error_groups').where({ id: group.id }).delete();

      for (const table of ['error_buckets', 'error_users', 'error_events']) {
        expect(await knex(table).where({ group_id: group.id })).toEqual([]);
      }
    });
  });
});

describe('the diagnosis agent migration', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const directory = resolvePackagePath(
    '@internal/plugin-product-os-backend',
    'migrations',
  );

  it.each(databases.eachSupportedId())(
    '%p: adds its table and columns, and takes them away again',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable('agent_entities')).toBe(true);
      expect(await knex.schema.hasTable('diagnosis_feedback')).toBe(true);
      expect(await knex.schema.hasColumn('diagnoses', 'verdict')).toBe(true);
      expect(await knex.schema.hasColumn('diagnosis_evidence', 'facts')).toBe(
        true,
      );
      // Down through the later migrations, then this one.
      while (
        (await knex.migrate.currentVersion({ directory })) > '20261121000000'
      ) {
        await knex.migrate.down({ directory });
      }
      expect(await knex.schema.hasTable('agent_entities')).toBe(false);
      expect(await knex.schema.hasColumn('diagnoses', 'verdict')).toBe(false);
      expect(await knex.schema.hasColumn('anomalies', 'updated_at')).toBe(
        false,
      );
      expect(await knex.schema.hasTable('diagnoses')).toBe(true);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasColumn('anomalies', 'updated_at')).toBe(true);
    },
  );
});

describe('the pulled error counts migration', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const VERSION = '20261203080000';

  it.each(databases.eachSupportedId())(
    '%p: takes the hours counted so far as pushed, and keeps their counts on the way down',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      while (
        (await knex.migrate.currentVersion({ directory: migrationsDir })) >=
        VERSION
      ) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      expect(await knex.schema.hasColumn('error_buckets', 'pushed')).toBe(
        false,
      );
      const [group] = await knex('error_groups')
        .insert({
          entity_ref: 'component:default/checkout',
          source: 'sentry',
          fingerprint: 'sentry-issue:4511234',
          title: 'TypeError',
          first_seen: 1_763_700_000_000,
          last_seen: 1_763_700_300_000,
          event_count: 12,
        })
        .returning(['id']);
      const hour = {
        group_id: Number(group.id),
        bucket_start: 1_763_697_600_000,
      };
      await knex('error_buckets').insert({ ...hour, count: 12, users: 3 });

      await knex.migrate.latest({ directory: migrationsDir });
      const up = await knex('error_buckets').where(hour).first();
      expect([up.count, up.pushed, up.users].map(Number)).toEqual([12, 12, 3]);
      expect(up.pulled).toBeNull();

      await knex('error_buckets').where(hour).update({ pulled: 20, count: 20 });
      while (
        (await knex.migrate.currentVersion({ directory: migrationsDir })) >=
        VERSION
      ) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      const down = await knex('error_buckets').where(hour).first();
      expect(Number(down.count)).toBe(20);
      expect(await knex.schema.hasColumn('error_buckets', 'pulled')).toBe(
        false,
      );
    },
  );
});

describe('the sample slots migration', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    '%p: numbers the stored samples of each group oldest first, and takes the slots away again',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      while (
        (await knex.migrate.currentVersion({ directory: migrationsDir })) >=
        '20261202120000'
      ) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      expect(await knex.schema.hasColumn('error_events', 'slot')).toBe(false);

      const groupIds: number[] = [];
      for (const fingerprint of ['a', 'b']) {
        const [group] = await knex('error_groups')
          .insert({
            entity_ref: 'component:default/checkout',
            source: 'sentry',
            fingerprint,
            title: 'TypeError',
            first_seen: 1_763_700_000_000,
            last_seen: 1_763_700_300_000,
            event_count: 3,
          })
          .returning(['id']);
        groupIds.push(Number(group.id));
      }
      // Inserted out of time order, so the slots follow the timestamps, not the ids.
      for (const [g, offset] of [
        [0, 300],
        [0, 100],
        [1, 50],
        [0, 200],
      ]) {
        await knex('error_events').insert({
          group_id: groupIds[g],
          source: 'sentry',
          event_id: `e-${g}-${offset}`,
          timestamp: 1_763_700_000_000 + offset,
        });
      }

      await knex.migrate.latest({ directory: migrationsDir });
      const rows = await knex('error_events')
        .orderBy('event_id')
        .select('event_id', 'slot');
      expect(rows.map(r => [r.event_id, Number(r.slot)])).toEqual([
        ['e-0-100', 0],
        ['e-0-200', 1],
        ['e-0-300', 2],
        ['e-1-50', 0],
      ]);

      // Down through the later migrations, then this one.
      while (
        (await knex.migrate.currentVersion({ directory: migrationsDir })) >=
        '20261202120000'
      ) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      expect(await knex.schema.hasColumn('error_events', 'slot')).toBe(false);
      expect(Number((await knex('error_events').count({ n: '*' }))[0].n)).toBe(
        4,
      );
    },
  );
});

describe('the pulled metric points migration', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const VERSION = '20261203090000';

  it.each(databases.eachSupportedId())(
    '%p: takes the hours stored so far as pushed, and keeps their counts on the way down',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      while (
        (await knex.migrate.currentVersion({ directory: migrationsDir })) >=
        VERSION
      ) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      expect(await knex.schema.hasColumn('metric_points', 'pulled_count')).toBe(
        false,
      );
      const hour = {
        entity_ref: 'component:default/checkout',
        metric: 'checkout_completed',
        bucket_start: 1_763_697_600_000,
      };
      await knex('metric_points').insert({ ...hour, count: 42, users: 7 });

      await knex.migrate.latest({ directory: migrationsDir });
      const up = await knex('metric_points').where(hour).first();
      expect(
        [up.count, up.users, up.pushed_count, up.pushed_users].map(Number),
      ).toEqual([42, 7, 42, 7]);
      expect([up.pulled_count, up.pulled_users]).toEqual([null, null]);

      await knex('metric_points')
        .where(hour)
        .update({ pulled_count: 50, pulled_users: 9, count: 50, users: 9 });
      while (
        (await knex.migrate.currentVersion({ directory: migrationsDir })) >=
        VERSION
      ) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      const down = await knex('metric_points').where(hour).first();
      expect([down.count, down.users].map(Number)).toEqual([50, 9]);
      expect(await knex.schema.hasColumn('metric_points', 'pushed_count')).toBe(
        false,
      );
    },
  );
});

describe('the daily error counts migration', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    '%p: rolls the stored hourly buckets up into days, and takes the table away again',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      while (
        (await knex.migrate.currentVersion({ directory: migrationsDir })) >=
        '20261203100000'
      ) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      expect(await knex.schema.hasTable('error_days')).toBe(false);

      const day = Date.UTC(2026, 10, 20);
      const hour = 3_600_000;
      const groupIds: number[] = [];
      for (const fingerprint of ['a', 'b']) {
        const [group] = await knex('error_groups')
          .insert({
            entity_ref: 'component:default/checkout',
            source: 'sentry',
            fingerprint,
            title: 'TypeError',
            first_seen: day,
            last_seen: day + 30 * hour,
            event_count: 1,
          })
          .returning(['id']);
        groupIds.push(Number(group.id));
      }
      // [group, hour after midnight of the 20th, count]: the last hour of a day and the first of
      // the next fall in different days.
      for (const [g, h, count] of [
        [0, 0, 2],
        [0, 23, 3],
        [0, 24, 7],
        [1, 5, 1],
      ]) {
        await knex('error_buckets').insert({
          group_id: groupIds[g],
          bucket_start: day + h * hour,
          count,
          users: 1,
        });
      }

      await knex.migrate.latest({ directory: migrationsDir });
      const rows = await knex('error_days')
        .orderBy(['group_id', 'day_start'])
        .select('group_id', 'day_start', 'count');
      expect(
        rows.map(r => [
          Number(r.group_id),
          Number(r.day_start),
          Number(r.count),
        ]),
      ).toEqual([
        [groupIds[0], day, 5],
        [groupIds[0], day + 24 * hour, 7],
        [groupIds[1], day, 1],
      ]);

      while (
        (await knex.migrate.currentVersion({ directory: migrationsDir })) >=
        '20261203100000'
      ) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      expect(await knex.schema.hasTable('error_days')).toBe(false);
      expect(Number((await knex('error_buckets').count({ n: '*' }))[0].n)).toBe(
        4,
      );
    },
  );
});
