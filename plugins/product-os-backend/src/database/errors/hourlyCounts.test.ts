import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { ErrorGroupKey } from '@internal/plugin-product-os-node';
import type { Knex } from 'knex';
import { DatabaseErrorStore } from './DatabaseErrorStore';
import { errorGroupId } from './ErrorStore';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const NOW_HOUR = Date.UTC(2026, 10, 20, 12);
const API = 'component:default/checkout-api';
const WEB = 'component:default/web';

/** Writes a group and its hourly buckets as ingestion does (`error_groups`, `error_buckets`). */
async function group(
  knex: Knex,
  key: ErrorGroupKey,
  buckets: [hour: number, count: number][],
) {
  const starts = buckets.map(([hour]) => hour);
  const [row] = await knex('error_groups')
    .insert({
      entity_ref: key.entityRef,
      source: key.source,
      fingerprint: key.fingerprint,
      title: key.fingerprint,
      first_seen: Math.min(...starts),
      last_seen: Math.max(...starts) + 60_000,
    })
    .returning('id');
  const groupId = typeof row === 'object' ? row.id : row;
  await knex('error_buckets').insert(
    buckets.map(([hour, count]) => ({
      group_id: groupId,
      bucket_start: hour,
      count,
      users: 0,
    })),
  );
}

describe('DatabaseErrorStore.hourlyCounts', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'reads the hourly counts of groups and of their entities within the window, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@internal/plugin-product-os-backend',
          'migrations',
        ),
      });
      const checkout: ErrorGroupKey = {
        entityRef: API,
        source: 'sentry',
        fingerprint: 'fp-1',
      };
      const exception: ErrorGroupKey = {
        entityRef: API,
        source: 'posthog',
        fingerprint: 'fp-2',
      };
      const web: ErrorGroupKey = {
        entityRef: WEB,
        source: 'sentry',
        fingerprint: 'fp-1',
      };
      await group(knex, checkout, [
        [NOW_HOUR - 8 * HOUR, 99],
        [NOW_HOUR - 2 * HOUR, 5],
        [NOW_HOUR, 40],
      ]);
      await group(knex, exception, [
        [NOW_HOUR - HOUR, 3],
        [NOW_HOUR, 2],
      ]);
      // Not seen in the window: not read, even for the entity's total.
      await group(knex, { ...checkout, fingerprint: 'fp-old' }, [
        [NOW_HOUR - 30 * HOUR, 1000],
      ]);
      await group(knex, web, [[NOW_HOUR, 7]]);

      const counts = await new DatabaseErrorStore(knex).hourlyCounts({
        groups: [checkout, { ...checkout, fingerprint: 'unknown' }],
        entityRefs: [API],
        since: NOW_HOUR - 6 * HOUR,
      });
      expect(counts.groups).toEqual(
        new Map([
          [
            errorGroupId(checkout),
            new Map([
              [NOW_HOUR - 2 * HOUR, 5],
              [NOW_HOUR, 40],
            ]),
          ],
        ]),
      );
      // Every source's groups of the entity, and no other entity's.
      expect(counts.entities).toEqual(
        new Map([
          [
            API,
            new Map([
              [NOW_HOUR - 2 * HOUR, 5],
              [NOW_HOUR - HOUR, 3],
              [NOW_HOUR, 42],
            ]),
          ],
        ]),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'reads nothing for nothing asked, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const counts = await new DatabaseErrorStore(knex).hourlyCounts({
        groups: [],
        entityRefs: [],
        since: 0,
      });
      expect(counts.groups.size + counts.entities.size).toBe(0);
    },
  );
});
