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
      it("keeps the last success's items and the last attempt's duration, and reads several scopes at once", async () => {
        await stores.sync.saveSyncState({
          source: 'sentry',
          scope: 'issues:acme/checkout',
          at: at(1),
          cursor: 'c1',
          items: 340,
          durationMs: 1_250.4,
        });
        await stores.sync.saveSyncState({
          source: 'sentry',
          scope: 'issues:acme/checkout',
          at: at(2),
          error: 'Sentry answered 502 Bad Gateway',
          durationMs: 30_000,
        });
        await stores.sync.saveSyncState({
          source: 'sentry',
          scope: 'releases:acme/checkout',
          at: at(1),
          items: 12,
        });
        await stores.sync.saveSyncState({
          source: 'github',
          scope: 'issues:acme/checkout',
          at: at(1),
        });
        const states = await stores.sync.getSyncStates('sentry', [
          'issues:acme/checkout',
          'releases:acme/checkout',
          'issues:acme/unknown',
        ]);
        expect(states.sort((a, b) => a.scope.localeCompare(b.scope))).toEqual([
          {
            source: 'sentry',
            scope: 'issues:acme/checkout',
            cursor: 'c1',
            lastSuccessAt: at(1),
            lastError: 'Sentry answered 502 Bad Gateway',
            lastErrorAt: at(2),
            items: 340,
            durationMs: 30_000,
          },
          {
            source: 'sentry',
            scope: 'releases:acme/checkout',
            cursor: undefined,
            lastSuccessAt: at(1),
            lastError: undefined,
            lastErrorAt: undefined,
            items: 12,
            durationMs: undefined,
          },
        ]);
        expect(await stores.sync.getSyncStates('sentry', [])).toEqual([]);
      });

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
          items: undefined,
          durationMs: undefined,
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
          items: undefined,
          durationMs: undefined,
        });
        expect(
          await stores.sync.getSyncState('github', 'project:4211'),
        ).toBeUndefined();
      });
    });
  });
});
