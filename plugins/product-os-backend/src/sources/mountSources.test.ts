import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { SENTRY_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-product-os-common';
import {
  ProductOsSource,
  productOsSourcesExtensionPoint,
} from '@internal/plugin-product-os-node';
import express from 'express';
import Router from 'express-promise-router';
import { Knex } from 'knex';
import request from 'supertest';
import productOsPlugin from '..';
import { DatabaseProductOsStore } from '../database/DatabaseProductOsStore';

jest.setTimeout(60_000);

const checkoutApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-api',
    namespace: 'default',
    annotations: { [SENTRY_PROJECT_SLUG_ANNOTATION]: 'acme/checkout-api' },
  },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
};

/**
 * A source as a module would write one: its route resolves the project through the entity
 * resolver and writes through the store; its sync task records where it got to.
 */
const acmeSource: ProductOsSource = {
  id: 'acme-errors',
  createRouter({ store, entities }) {
    const router = Router();
    router.use(express.json());
    router.post('/events', async (req, res) => {
      const { id, project, title } = req.body;
      const [entityRef] = await entities.findByAnnotation(
        SENTRY_PROJECT_SLUG_ANNOTATION,
        project,
      );
      if (!entityRef) {
        await store.recordUnmapped('sentry', project, Date.now());
        res.status(202).json({ mapped: false });
        return;
      }
      const { duplicate } = await store.ingest(
        { source: 'sentry', deliveryId: id },
        w =>
          w.recordErrorEvents([
            {
              entityRef,
              source: 'sentry',
              fingerprint: title,
              eventId: id,
              title,
              level: 'error',
              timestamp: Date.now() - 1_000,
              topFrames: [],
            },
          ]),
      );
      res.status(202).json({ mapped: true, duplicate });
    });
    return router;
  },
  syncTasks: [
    {
      id: 'releases',
      schedule: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
      async run({ store }) {
        await store.saveSyncState({
          source: 'sentry',
          scope: 'releases',
          at: 1234,
          cursor: 'r-9',
        });
      },
    },
  ],
};

function sourceModule(moduleId: string, ...sources: ProductOsSource[]) {
  return createBackendModule({
    pluginId: 'product-os',
    moduleId,
    register(env) {
      env.registerInit({
        deps: { extension: productOsSourcesExtensionPoint },
        async init({ extension }) {
          sources.forEach(source => extension.addSource(source));
        },
      });
    },
  });
}

describe('mountSources', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
  });

  const start = (...modules: ReturnType<typeof sourceModule>[]) =>
    startTestBackend({
      features: [
        productOsPlugin,
        ...modules,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: { productOs: { agent: { enabled: false } } },
        }),
        catalogServiceMock.factory({ entities: [checkoutApi] }),
      ],
    });

  it('mounts a source route outside Backstage auth, writing what the read API shows', async () => {
    const { server } = await start(sourceModule('acme', acmeSource));
    const post = (body: object) =>
      request(server)
        .post('/api/product-os/acme-errors/events')
        .set('Authorization', mockCredentials.none.header())
        .send(body);

    const first = await post({
      id: 'e-1',
      project: 'ACME/checkout-api',
      title: 'TypeError',
    });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ mapped: true, duplicate: false });
    const again = await post({
      id: 'e-1',
      project: 'acme/checkout-api',
      title: 'TypeError',
    });
    expect(again.body).toEqual({ mapped: true, duplicate: true });
    const unknown = await post({
      id: 'e-2',
      project: 'acme/unknown',
      title: 'TypeError',
    });
    expect(unknown.body).toEqual({ mapped: false });

    const errors = await request(server).get(
      '/api/product-os/entities/component/default/checkout-api/errors?window=24h',
    );
    expect(errors.status).toBe(200);
    expect(errors.body.items.map((g: any) => [g.title, g.count])).toEqual([
      ['TypeError', 1],
    ]);
    const unmapped = await request(server).get(
      '/api/product-os/admin/unmapped',
    );
    expect(unmapped.body.items).toEqual([
      expect.objectContaining({
        source: 'sentry',
        key: 'acme/unknown',
        count: 1,
      }),
    ]);

    // The exemption covers the source's path only.
    const read = await request(server)
      .get('/api/product-os/entities/component/default/checkout-api/errors')
      .set('Authorization', mockCredentials.none.header());
    expect(read.status).toBe(401);
  });

  it('schedules the sync tasks of a source under its id', async () => {
    await start(sourceModule('acme', acmeSource));
    // The mock scheduler runs tasks without an initial delay once, at startup.
    const store = await DatabaseProductOsStore.create({
      database: mockServices.database({ knex }),
    });
    expect(await store.getSyncState('sentry', 'releases')).toEqual({
      source: 'sentry',
      scope: 'releases',
      cursor: 'r-9',
      lastSuccessAt: 1234,
      lastError: undefined,
      lastErrorAt: undefined,
    });
  });

  it('refuses two sources with one id', async () => {
    await expect(
      start(sourceModule('one', acmeSource), sourceModule('two', acmeSource)),
    ).rejects.toThrow("Product OS source 'acme-errors' was added twice");
  });

  it('refuses a source id that would open one of the plugin routes', async () => {
    await expect(
      start(
        sourceModule('sneaky', {
          id: 'diagnoses',
          createRouter: () => Router(),
        }),
      ),
    ).rejects.toThrow(
      "Product OS source id 'diagnoses' must be lowercase letters, digits and dashes, and not one of entities, health, diagnoses, anomalies, admin, config",
    );
    await expect(
      start(
        sourceModule('nested', {
          id: 'acme/errors',
          createRouter: () => Router(),
        }),
      ),
    ).rejects.toThrow("Product OS source id 'acme/errors' must be");
  });
});
