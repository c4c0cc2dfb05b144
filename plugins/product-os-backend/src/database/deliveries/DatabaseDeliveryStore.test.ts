import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  at,
  isoAt,
  storeTestDatabases,
  testStores,
} from '../__testUtils__/storeFixtures';
import type { ProductOsStores } from '../createProductOsStores';

jest.setTimeout(60_000);

describe('DatabaseDeliveryStore', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    beforeEach(async () => {
      stores = await testStores(knex, { sampleSize: 3 });
      await emptyDatabase(knex);
    });

    describe('unmapped deliveries', () => {
      it('counts deliveries per source key with first and last seen', async () => {
        await stores.deliveries.recordUnmapped(
          'sentry',
          'acme/legacy-api',
          at(10),
        );
        await stores.deliveries.recordUnmapped(
          'sentry',
          'acme/legacy-api',
          at(12),
        );
        // Delivered out of order.
        await stores.deliveries.recordUnmapped(
          'sentry',
          'acme/legacy-api',
          at(9),
        );
        await stores.deliveries.recordUnmapped(
          'github',
          'acme/docs-site',
          at(11),
        );
        await stores.deliveries.recordUnmapped(
          'pagerduty',
          'acme/legacy-api',
          at(8),
        );

        expect(await stores.deliveries.listUnmapped()).toEqual([
          {
            source: 'sentry',
            key: 'acme/legacy-api',
            count: 3,
            firstSeen: isoAt(9),
            lastSeen: isoAt(12),
          },
          {
            source: 'github',
            key: 'acme/docs-site',
            count: 1,
            firstSeen: isoAt(11),
            lastSeen: isoAt(11),
          },
          {
            source: 'pagerduty',
            key: 'acme/legacy-api',
            count: 1,
            firstSeen: isoAt(8),
            lastSeen: isoAt(8),
          },
        ]);
      });
    });
  });
});
