import type { ChangeEventInput } from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  at,
  deployment,
  ENTITY,
  isoAt,
  OTHER_ENTITY,
  pullRequest,
  storeTestDatabases,
  testStores,
} from '../__testUtils__/storeFixtures';
import type { ProductOsStores } from '../createProductOsStores';

jest.setTimeout(60_000);

describe('DatabaseChangeStore', () => {
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

    describe('change events', () => {
      async function upsert(changes: ChangeEventInput[]) {
        await stores.ingest.ingest({ source: 'github' }, writer =>
          writer.upsertChangeEvents(changes),
        );
      }

      it('completes a deployment with its later status, keeping what the later report omits', async () => {
        await upsert([deployment()]);
        await upsert([
          {
            entityRef: ENTITY,
            source: 'github',
            kind: 'deployment',
            externalId: '1874523901',
            title: 'Deploy 9f2c1e7 to production',
            status: 'success',
            occurredAt: at(14, 2),
            finishedAt: at(14, 9),
          },
        ]);

        const changes = await stores.changes.getChangeEvents(ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(changes).toEqual([
          {
            id: expect.any(Number),
            entityRef: ENTITY,
            source: 'github',
            kind: 'deployment',
            externalId: '1874523901',
            title: 'Deploy 9f2c1e7 to production',
            author: 'mona',
            sha: '9f2c1e7d5b3a48c0e6f1a2b3c4d5e6f708192a3b',
            number: undefined,
            environment: 'production',
            status: 'success',
            url: 'https://github.com/acme/checkout-api/deployments/1874523901',
            occurredAt: isoAt(14, 2),
            finishedAt: isoAt(14, 9),
            files: ['src/cart/total.ts', 'src/cart/CartService.ts'],
          },
        ]);

        // A later report may change what it carries.
        await upsert([
          pullRequest({ status: 'open', files: ['src/cart/total.ts'] }),
        ]);
        await upsert([
          pullRequest({
            title: 'Compute cart totals from line items (#512)',
            status: 'merged',
            files: ['src/cart/total.ts', 'src/cart/lineItems.ts'],
            author: undefined,
          }),
        ]);
        const [pr] = await stores.changes.getChangeEvents(ENTITY, {
          from: at(0),
          to: at(24),
          kinds: ['pull_request'],
        });
        expect(pr).toMatchObject({
          title: 'Compute cart totals from line items (#512)',
          status: 'merged',
          author: 'hubot',
          number: 512,
          files: ['src/cart/total.ts', 'src/cart/lineItems.ts'],
        });
        expect(await knex('change_events').select('id')).toHaveLength(2);
      });

      it('filters by kind and range, newest first, across entities', async () => {
        await upsert([
          deployment({
            externalId: 'd-1',
            occurredAt: at(8),
            title: 'Deploy a1',
          }),
          deployment({
            externalId: 'd-2',
            occurredAt: at(14),
            title: 'Deploy b2',
          }),
          pullRequest({
            externalId: 'acme/checkout-api#510',
            number: 510,
            occurredAt: at(12),
          }),
          {
            entityRef: ENTITY,
            source: 'github',
            kind: 'commit',
            externalId: '0b1c2d3',
            title: 'Fix rounding in cart totals',
            sha: '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
            occurredAt: at(11),
          },
          {
            entityRef: ENTITY,
            source: 'pagerduty',
            kind: 'change',
            externalId: '01DEN2BSRH8JDAA1HF9DZCBJHH',
            title: 'Feature flag new-cart enabled',
            occurredAt: at(13),
          },
          deployment({
            externalId: 'd-0',
            occurredAt: at(-2),
            title: 'Deploy yesterday',
          }),
          deployment({
            externalId: 'd-3',
            occurredAt: at(24),
            title: 'Deploy tomorrow',
          }),
          deployment({
            entityRef: OTHER_ENTITY,
            externalId: 'p-1',
            occurredAt: at(9),
          }),
        ]);

        const day = { from: at(0), to: at(24) };
        const all = await stores.changes.getChangeEvents(ENTITY, day);
        expect(all.map(c => [c.kind, c.externalId])).toEqual([
          ['deployment', 'd-2'],
          ['change', '01DEN2BSRH8JDAA1HF9DZCBJHH'],
          ['pull_request', 'acme/checkout-api#510'],
          ['commit', '0b1c2d3'],
          ['deployment', 'd-1'],
        ]);
        expect(all[3]).toMatchObject({
          kind: 'commit',
          sha: '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c',
          files: [],
        });
        expect(all[3].author).toBeUndefined();
        expect(all[3].finishedAt).toBeUndefined();

        const deploys = await stores.changes.getChangeEvents(ENTITY, {
          ...day,
          kinds: ['deployment'],
        });
        expect(deploys.map(c => c.externalId)).toEqual(['d-2', 'd-1']);
        const prsAndCommits = await stores.changes.getChangeEvents(ENTITY, {
          ...day,
          kinds: ['pull_request', 'commit'],
          limit: 1,
        });
        expect(prsAndCommits.map(c => c.externalId)).toEqual([
          'acme/checkout-api#510',
        ]);

        const both = await stores.changes.getChangeEventsForEntities(
          [ENTITY, OTHER_ENTITY],
          {
            ...day,
            kinds: ['deployment'],
          },
        );
        expect(both.map(c => [c.entityRef, c.externalId])).toEqual([
          [ENTITY, 'd-2'],
          [OTHER_ENTITY, 'p-1'],
          [ENTITY, 'd-1'],
        ]);
        expect(
          await stores.changes.getChangeEventsForEntities([], day),
        ).toEqual([]);
      });
    });
  });
});
