import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { SENTRY_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-product-os-common';
import {
  ProductOsSource,
  productOsSourcesExtensionPoint,
  WorkerPool,
} from '@internal/plugin-product-os-node';
import express from 'express';
import Router from 'express-promise-router';
import { Knex } from 'knex';
import { AddressInfo, connect } from 'net';
import type { Server } from 'http';
import request from 'supertest';
import { startProductOsBackend } from '../__testUtils__/productOsBackend';
import { mountSources } from './mountSources';

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
 * A source as a module would write one: its route asks the store who claims the project (the
 * host counts it as unmapped when nobody does) and writes through the store; its sync task
 * records where it got to.
 */
const acmeSource: ProductOsSource = {
  id: 'acme-errors',
  createRouter({ store }) {
    const router = Router();
    router.use(express.json());
    router.post('/events', async (req, res) => {
      const { id, project, title } = req.body;
      const [entity] = await store.claim({
        source: 'sentry',
        annotation: SENTRY_PROJECT_SLUG_ANNOTATION,
        values: [project],
        unmappedKey: project,
        at: Date.now(),
      });
      if (!entity) {
        res.status(202).json({ mapped: false });
        return;
      }
      const { entityRef } = entity;
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

  const startWith = (
    productOs: JsonObject,
    ...modules: ReturnType<typeof sourceModule>[]
  ) =>
    startProductOsBackend({
      database: knex,
      features: modules,
      productOs,
      catalog: [checkoutApi],
    }).then(({ backend }) => backend);
  const start = (...modules: ReturnType<typeof sourceModule>[]) =>
    startWith({}, ...modules);

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

  describe('CORS for browser SDKs', () => {
    const shop = 'https://shop.example.com';
    const preflight = (
      server: Parameters<typeof request>[0],
      path: string,
      origin: string,
    ) =>
      request(server)
        .options(path)
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .set(
          'Access-Control-Request-Headers',
          'content-type,sentry-trace,baggage',
        );

    it("answers a source route's preflight for its allowed origins only, never the plugin's own routes", async () => {
      const otherSource = { ...acmeSource, id: 'other-errors' };
      const { server } = await startWith(
        { sources: { 'acme-errors': { allowedOrigins: [shop] } } },
        sourceModule('acme', acmeSource),
        sourceModule('other', otherSource),
      );

      const allowed = await preflight(
        server,
        '/api/product-os/acme-errors/events',
        shop,
      );
      expect(allowed.status).toBe(204);
      expect(allowed.headers).toMatchObject({
        'access-control-allow-origin': shop,
        'access-control-allow-methods': 'GET,HEAD,POST',
        'access-control-allow-headers':
          'content-type,content-encoding,x-sentry-auth,sentry-trace,baggage',
        'access-control-max-age': '600',
      });
      // A page can never send a cookie or a Backstage token this way.
      expect(
        allowed.headers['access-control-allow-credentials'],
      ).toBeUndefined();
      expect(allowed.headers.vary).toMatch(/Origin/);

      const post = await request(server)
        .post('/api/product-os/acme-errors/events')
        .set('Origin', shop)
        .send({ id: 'e-1', project: 'acme/checkout-api', title: 'TypeError' });
      expect(post.status).toBe(202);
      expect(post.headers['access-control-allow-origin']).toBe(shop);
      expect(post.headers['access-control-expose-headers']).toBe(
        'retry-after,x-sentry-rate-limits',
      );

      const noHeaders = (res: request.Response) =>
        Object.keys(res.headers).filter(name =>
          name.startsWith('access-control-'),
        );
      // Another origin, another source, the read API: no CORS headers at all.
      for (const [path, origin] of [
        ['/api/product-os/acme-errors/events', 'https://evil.example.com'],
        ['/api/product-os/acme-errors/events', 'http://shop.example.com'],
        ['/api/product-os/other-errors/events', shop],
        [
          '/api/product-os/entities/component/default/checkout-api/errors',
          shop,
        ],
        ['/api/product-os/diagnoses', shop],
      ]) {
        expect([
          path,
          noHeaders(await preflight(server, path, origin)),
        ]).toEqual([path, []]);
      }
      const read = await request(server)
        .get('/api/product-os/entities/component/default/checkout-api/errors')
        .set('Origin', shop);
      expect(read.status).toBe(200);
      expect(noHeaders(read)).toEqual([]);
    });

    it("opens a source to every origin only when '*' is configured", async () => {
      const { server } = await startWith(
        { sources: { 'acme-errors': { allowedOrigins: ['*'] } } },
        sourceModule('acme', acmeSource),
      );
      const res = await preflight(
        server,
        '/api/product-os/acme-errors/events',
        'https://anywhere.example.org',
      );
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    });

    it('refuses an allowed origin that a browser would never send', async () => {
      await expect(
        startWith(
          { sources: { 'acme-errors': { allowedOrigins: [`${shop}/`] } } },
          sourceModule('acme', acmeSource),
        ),
      ).rejects.toThrow(
        "Invalid config: 'productOs.sources.acme-errors.allowedOrigins' entries must be origins like https://shop.example.com (scheme, host and port, no path) or '*', got 'https://shop.example.com/'",
      );
    });

    it("works beside Backstage's own backend.cors, which keeps the portal's origin", async () => {
      // The root router's middleware as Backstage applies it before every plugin's routes.
      const portal = 'http://portal.example.com';
      const config = mockServices.rootConfig({
        data: { backend: { cors: { origin: portal, credentials: true } } },
      });
      const middleware = MiddlewareFactory.create({
        config,
        logger: mockServices.logger.mock(),
      });
      const app = express();
      app.use(middleware.helmet());
      app.use(middleware.cors());
      app.use(
        '/api/product-os',
        await mountSources({
          sources: [acmeSource],
          context: {} as any,
          workers: new WorkerPool(),
          logger: mockServices.logger.mock(),
          httpRouter: mockServices.httpRouter.mock(),
          scheduler: mockServices.scheduler.mock(),
          routes: {
            'acme-errors': { allowedOrigins: [shop], bodyTimeoutMs: 10_000 },
          },
        }),
      );
      app.options('/api/product-os/entities', (_req, res) => {
        res.status(404).end();
      });

      // Backstage's cors passes an origin it does not know on to the routes...
      const fromShop = await preflight(
        app,
        '/api/product-os/acme-errors/events',
        shop,
      );
      expect(fromShop.status).toBe(204);
      expect(fromShop.headers['access-control-allow-origin']).toBe(shop);
      expect(
        fromShop.headers['access-control-allow-credentials'],
      ).toBeUndefined();
      // ...and answers its own origin itself, as for every route.
      const fromPortal = await preflight(
        app,
        '/api/product-os/acme-errors/events',
        portal,
      );
      expect(fromPortal.headers['access-control-allow-origin']).toBe(portal);
      const readFromShop = await preflight(
        app,
        '/api/product-os/entities',
        shop,
      );
      expect(
        readFromShop.headers['access-control-allow-origin'],
      ).toBeUndefined();
    });
  });

  describe('body deadline', () => {
    /** Sends the headers of a POST and part of its body, then nothing; resolves with what came back once the server closes. */
    const sendPartialBody = (server: Server, path: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect((server.address() as AddressInfo).port);
        let received = '';
        socket.on('data', chunk => {
          received += chunk.toString();
        });
        socket.on('error', reject);
        socket.on('close', () => resolve(received));
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"id":`,
        );
      });

    it('answers 408 and closes the connection when a body stops arriving', async () => {
      const { server } = await startWith(
        { sources: { 'acme-errors': { bodyTimeoutSeconds: 0.05 } } },
        sourceModule('acme', acmeSource),
      );
      // Without a deadline Node would wait 300 s for the other 94 bytes (the test times out).
      const response = await sendPartialBody(
        server,
        '/api/product-os/acme-errors/events',
      );
      expect(response).toMatch(/^HTTP\/1\.1 408 /);
      expect(response).toMatch(/connection: close/i);
      expect(response).toContain(
        'The request body did not arrive within 0.05 seconds',
      );
    });

    it('counts the time to receive a body, not the time to handle it', async () => {
      const slowHandler: ProductOsSource = {
        id: 'slow',
        createRouter() {
          const router = Router();
          router.use(express.json());
          router.post('/events', async (req, res) => {
            // Longer than the deadline, which was armed first and so would fire first.
            await new Promise(resolve => setTimeout(resolve, 1500));
            res.status(202).json({ got: req.body.id });
          });
          return router;
        },
      };
      const { server } = await startWith(
        { sources: { slow: { bodyTimeoutSeconds: 1 } } },
        sourceModule('slow', slowHandler),
      );
      const res = await request(server)
        .post('/api/product-os/slow/events')
        .send({ id: 'e-1' });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ got: 'e-1' });
    });
  });
});
