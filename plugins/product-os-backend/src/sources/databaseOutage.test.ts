import { createBackendModule } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { productOsSourcesExtensionPoint } from '@internal/plugin-product-os-node';
import Router from 'express-promise-router';
import type { Knex } from 'knex';
import request from 'supertest';
import { startProductOsBackend } from '../__testUtils__/productOsBackend';
import { proxiedKnex, TcpProxy } from '../__testUtils__/tcpProxy';

jest.setTimeout(120_000);

/*
 * PostgreSQL stops while a vendor sends: the sender is told 503 with Retry-After (it retries,
 * nothing is lost), not 500 (which some senders give up on and Backstage logs per request).
 */

const incidentSource = createBackendModule({
  pluginId: 'product-os',
  moduleId: 'incidents-test',
  register(env) {
    env.registerInit({
      deps: { sources: productOsSourcesExtensionPoint },
      async init({ sources }) {
        sources.addSource({
          id: 'incidents-test',
          createRouter({ store }) {
            const router = Router();
            router.post('/events/:id', async (req, res) => {
              const { duplicate } = await store.ingest(
                { source: 'pagerduty', deliveryId: req.params.id },
                w =>
                  w.upsertIncident({
                    entityRef: 'component:default/checkout',
                    source: 'pagerduty',
                    externalId: req.params.id,
                    title: 'Checkout down',
                    status: 'triggered',
                    createdAt: Date.UTC(2026, 10, 20),
                  }),
              );
              res.status(202).json({ duplicate });
            });
            return router;
          },
        });
      },
    });
  },
});

describe('a database outage seen by a vendor', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let proxy: TcpProxy;
    let stop: (() => Promise<void>) | undefined;

    afterAll(async () => {
      await proxy?.start().catch(() => {});
      await stop?.();
      await proxy?.cut();
      await knex?.destroy();
    });

    it('answers 503 with Retry-After while PostgreSQL is gone, then stores again', async () => {
      ({ knex, proxy } = await proxiedKnex(await databases.init(databaseId)));
      const backend = await startProductOsBackend({
        database: knex,
        features: [incidentSource],
      });
      stop = backend.stop;
      const send = (id: string) =>
        request(backend.server).post(
          `/api/product-os/incidents-test/events/${id}`,
        );

      expect((await send('before')).status).toBe(202);
      await proxy.cut();
      for (const id of ['during-1', 'during-2']) {
        const res = await send(id);
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('30');
        expect(res.body.error).toEqual({
          name: 'ServiceUnavailableError',
          message:
            'The Product OS database is unavailable; nothing was stored, retry later',
        });
      }
      await proxy.start();
      // The sender's retry is stored.
      const retried = await send('during-1');
      expect(retried.status).toBe(202);
      expect(retried.body).toEqual({ duplicate: false });
      expect(
        (await knex('incidents').orderBy('external_id')).map(
          row => row.external_id,
        ),
      ).toEqual(['before', 'during-1']);
    });
  });
});
