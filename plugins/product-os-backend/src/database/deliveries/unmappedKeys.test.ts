import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DAY_MS } from '../../time';
import {
  createProductOsStores,
  ProductOsStores,
} from '../createProductOsStores';
import { UNMAPPED_OVERFLOW_KEY } from './DatabaseDeliveryStore';

jest.setTimeout(60_000);

/*
 * Keys no entity claims are counted for the admin view, but a sender can invent them without
 * end: the table keeps a bounded number per source and forgets keys not seen for `rawDays`.
 */

const T0 = Date.UTC(2026, 10, 20, 10);

describe('unmapped deliveries', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      stores = await createProductOsStores({
        database: mockServices.database({ knex }),
        unmappedKeysPerSource: 3,
      });
    });

    it('keeps at most the cap of keys per source and counts the rest in one row', async () => {
      for (let i = 0; i < 10; i++)
        await stores.ingest.recordUnmapped(
          'posthog',
          `project-key:random-${i}`,
          T0 + i,
        );
      // A key already kept is still counted on its own row.
      await stores.ingest.recordUnmapped(
        'posthog',
        'project-key:random-1',
        T0 + 20,
      );
      // Another source has its own cap.
      await stores.ingest.recordUnmapped('pagerduty', 'routing-key:r', T0);

      const rows = await knex('unmapped_deliveries')
        .where({ source: 'posthog' })
        .orderBy('key');
      expect(rows.map(r => [r.key, Number(r.count)])).toEqual([
        [UNMAPPED_OVERFLOW_KEY, 7],
        ['project-key:random-0', 1],
        ['project-key:random-1', 2],
        ['project-key:random-2', 1],
      ]);
      const overflow = rows[0];
      expect(Number(overflow.first_seen)).toBe(T0 + 3);
      expect(Number(overflow.last_seen)).toBe(T0 + 9);
      expect(await stores.deliveries.countUnmapped()).toBe(5);
    });

    it('pages the keys, most recently seen first', async () => {
      for (let i = 0; i < 3; i++)
        await stores.ingest.recordUnmapped('github', `acme/repo-${i}`, T0 + i);
      expect(await stores.deliveries.countUnmapped()).toBe(3);
      const keys = async (limit: number, offset: number) =>
        (await stores.deliveries.listUnmapped({ limit, offset })).map(
          u => u.key,
        );
      expect(await keys(2, 0)).toEqual(['acme/repo-2', 'acme/repo-1']);
      expect(await keys(2, 2)).toEqual(['acme/repo-0']);
      expect(await keys(2, 4)).toEqual([]);
    });

    it('forgets keys not seen for as long as raw samples are kept', async () => {
      const now = T0 + 30 * DAY_MS;
      await stores.ingest.recordUnmapped(
        'github',
        'acme/old',
        now - 15 * DAY_MS,
      );
      await stores.ingest.recordUnmapped(
        'github',
        'acme/recent',
        now - 13 * DAY_MS,
      );
      const result = await stores.retention.prune(now, {
        rawMaxAgeMs: 14 * DAY_MS,
        aggregateMaxAgeMs: 180 * DAY_MS,
      });
      expect(result.rawRowsDeleted).toBe(1);
      expect((await stores.deliveries.listUnmapped()).map(u => u.key)).toEqual([
        'acme/recent',
      ]);
    });
  });
});
