import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  at,
  storeTestDatabases,
  testStores,
} from '../__testUtils__/storeFixtures';
import type { ProductOsStores } from '../createProductOsStores';

jest.setTimeout(60_000);

describe('DatabaseSyncStore', () => {
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

    describe('sync state', () => {
      it('moves the cursor on success and keeps it on failure', async () => {
        expect(
          await stores.sync.getSyncState('posthog', 'project:4211'),
        ).toBeUndefined();

        await stores.sync.saveSyncState({
          source: 'posthog',
          scope: 'project:4211',
          at: at(10),
          cursor: '2026-11-20T09:59:58Z',
        });
        expect(
          await stores.sync.getSyncState('posthog', 'project:4211'),
        ).toEqual({
          source: 'posthog',
          scope: 'project:4211',
          cursor: '2026-11-20T09:59:58Z',
          lastSuccessAt: at(10),
          lastError: undefined,
          lastErrorAt: undefined,
        });

        await stores.sync.saveSyncState({
          source: 'posthog',
          scope: 'project:4211',
          at: at(11),
          error: 'HogQL query timed out after 30s',
        });
        expect(
          await stores.sync.getSyncState('posthog', 'project:4211'),
        ).toMatchObject({
          cursor: '2026-11-20T09:59:58Z',
          lastSuccessAt: at(10),
          lastError: 'HogQL query timed out after 30s',
          lastErrorAt: at(11),
        });

        // A success without a new cursor keeps the old one and clears the error.
        await stores.sync.saveSyncState({
          source: 'posthog',
          scope: 'project:4211',
          at: at(12),
        });
        const recovered = await stores.sync.getSyncState(
          'posthog',
          'project:4211',
        );
        expect(recovered).toMatchObject({
          cursor: '2026-11-20T09:59:58Z',
          lastSuccessAt: at(12),
          lastError: undefined,
        });

        await stores.sync.saveSyncState({
          source: 'posthog',
          scope: 'project:4211',
          at: at(13),
          cursor: '2026-11-20T12:59:59Z',
        });
        expect(
          await stores.sync.getSyncState('posthog', 'project:4211'),
        ).toMatchObject({
          cursor: '2026-11-20T12:59:59Z',
          lastSuccessAt: at(13),
        });

        // Scopes are apart, and a first run may fail.
        await stores.sync.saveSyncState({
          source: 'posthog',
          scope: 'project:5000',
          at: at(13),
          error: '401 Unauthorized',
        });
        expect(
          await stores.sync.getSyncState('posthog', 'project:5000'),
        ).toEqual({
          source: 'posthog',
          scope: 'project:5000',
          cursor: undefined,
          lastSuccessAt: undefined,
          lastError: '401 Unauthorized',
          lastErrorAt: at(13),
        });
        expect(
          await stores.sync.getSyncState('github', 'project:4211'),
        ).toBeUndefined();
      });
    });
  });
});
