import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  at,
  isoAt,
  seedAuditEntry,
  storeTestDatabases,
  testStores,
} from '../__testUtils__/storeFixtures';
import type { ProductOsStores } from '../createProductOsStores';

jest.setTimeout(60_000);

describe('DatabaseAuditStore', () => {
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

    describe('audit log', () => {
      it('records entries and lists the newest first', async () => {
        const created = await seedAuditEntry(stores.audit, {
          at: at(15),
          actor: 'user:default/mona',
          action: 'github-issue',
          target: 'acme/checkout-api',
          diagnosisId: 7,
          request: {
            title: 'Cart total TypeError after 9f2c1e7',
            labels: ['product-os'],
          },
          outcome: 'succeeded',
          result: { url: 'https://github.com/acme/checkout-api/issues/913' },
        });
        expect(created).toEqual({
          id: expect.any(Number),
          at: isoAt(15),
          actor: 'user:default/mona',
          action: 'github-issue',
          target: 'acme/checkout-api',
          diagnosisId: 7,
          request: {
            title: 'Cart total TypeError after 9f2c1e7',
            labels: ['product-os'],
          },
          outcome: 'succeeded',
          result: { url: 'https://github.com/acme/checkout-api/issues/913' },
        });
        const failed = await seedAuditEntry(stores.audit, {
          at: at(16),
          actor: 'user:default/hubot',
          action: 'pr-comment',
          target: 'acme/checkout-api#512',
          request: { body: 'Product OS suspects this PR' },
          outcome: 'failed',
        });
        expect(failed).toMatchObject({
          diagnosisId: undefined,
          result: undefined,
        });
        const older = await seedAuditEntry(stores.audit, {
          at: at(9),
          actor: 'user:default/mona',
          action: 'pr-comment',
          target: 'acme/checkout-api#510',
          request: {},
          outcome: 'succeeded',
        });

        expect((await stores.audit.listAudit(10)).map(e => e.id)).toEqual([
          failed.id,
          created.id,
          older.id,
        ]);
        expect((await stores.audit.listAudit(1)).map(e => e.id)).toEqual([
          failed.id,
        ]);
      });
    });
  });
});
