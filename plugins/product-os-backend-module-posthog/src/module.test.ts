import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The tests run the module against the real Product OS plugin and store.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import productOsPlugin from '@internal/plugin-product-os-backend';
import type {
  ErrorGroup,
  MetricSeries,
} from '@internal/plugin-product-os-common';
import { PostHog } from 'posthog-node';
import request from 'supertest';
import { gzipSync } from 'zlib';
import postHogModule from './index';

jest.setTimeout(60_000);

const PROJECT_KEY = 'phc_9Qm2CheckoutWebProjectKey0000000000000000';
const HOUR = 3_600_000;

/** The catalog: `checkout-web` sends its analytics to one PostHog project. */
const entities: NonNullable<
  Parameters<typeof catalogServiceMock>[0]
>['entities'] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-web',
      namespace: 'default',
      annotations: { 'product-os.io/posthog-project-key': PROJECT_KEY },
    },
    spec: {
      type: 'website',
      lifecycle: 'production',
      owner: 'group:default/payments',
    },
  },
];

function backendFeatures(options: {
  database?: ReturnType<typeof mockServices.database.factory>;
  rateLimitPerMinute?: number;
}) {
  return [
    productOsPlugin,
    postHogModule,
    catalogServiceMock.factory({ entities }),
    mockServices.rootConfig.factory({
      data: {
        productOs: {
          sources: {
            posthog: {
              rateLimitPerMinute: options.rateLimitPerMinute ?? 10_000,
            },
          },
        },
      },
    }),
    ...(options.database ? [options.database] : []),
  ];
}

/** Middle of the previous hour: every event sent for it lands in one hourly bucket. */
function previousHour(): Date {
  return new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR / 2);
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'PostHog source on %s',
  databaseId => {
    let server: Parameters<typeof request>[0];
    let host: string;
    let knex: Awaited<ReturnType<typeof databases.init>>;

    beforeAll(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      const backend = await startTestBackend({
        features: backendFeatures({
          database: mockServices.database.factory({ knex }),
        }),
      });
      server = backend.server;
      host = `http://127.0.0.1:${backend.server.port()}/api/product-os/posthog`;
    });

    async function metrics(): Promise<Record<string, MetricSeries>> {
      const res = await request(server)
        .get(
          '/api/product-os/entities/component/default/checkout-web/metrics?window=24h',
        )
        .expect(200);
      return Object.fromEntries(
        res.body.items.map((series: MetricSeries) => [series.key, series]),
      );
    }

    async function errorGroups(): Promise<ErrorGroup[]> {
      const res = await request(server)
        .get(
          '/api/product-os/entities/component/default/checkout-web/errors?window=24h',
        )
        .expect(200);
      return res.body.items;
    }

    const valueAt = (points: { time: string; value: number }[], time: Date) =>
      points.find(
        point =>
          point.time ===
          new Date(Math.floor(time.getTime() / HOUR) * HOUR).toISOString(),
      )?.value;

    it('counts events and distinct users per hour from posthog-node', async () => {
      const client = new PostHog(PROJECT_KEY, {
        host,
        flushAt: 1,
        flushInterval: 0,
      });
      const timestamp = previousHour();
      const sent: Array<[string, string]> = [
        ['user-1', 'checkout_completed'],
        ['user-1', 'checkout_completed'],
        ['user-1', 'checkout_completed'],
        ['user-2', 'checkout_completed'],
        ['user-2', 'checkout_completed'],
        ['user-3', 'checkout_completed'],
        ['user-4', 'signup'],
        ['user-4', 'signup'],
      ];
      for (const [distinctId, event] of sent) {
        client.capture({
          distinctId,
          event,
          timestamp,
          properties: { plan: 'pro', cart_value: 42 },
        });
      }
      client.identify({
        distinctId: 'user-4',
        properties: { email: 'user4@example.com' },
      });
      await client.shutdown();

      const series = await metrics();
      expect(Object.keys(series).sort()).toEqual([
        'checkout_completed',
        'signup',
      ]);
      expect(series.checkout_completed.total).toBe(6);
      expect(valueAt(series.checkout_completed.points, timestamp)).toBe(6);
      expect(valueAt(series.checkout_completed.users, timestamp)).toBe(3);
      expect(series.signup.total).toBe(2);
      expect(valueAt(series.signup.users, timestamp)).toBe(1);
    });

    it('groups exceptions from posthog-node captureException like Sentry errors', async () => {
      const client = new PostHog(PROJECT_KEY, {
        host,
        flushAt: 1,
        flushInterval: 0,
      });
      function declinePayment(orderId: number): never {
        throw new Error(`Payment declined for order ${orderId}`);
      }
      for (const orderId of [1001, 2002]) {
        try {
          declinePayment(orderId);
        } catch (error) {
          client.captureException(error, 'user-1', { plan: 'pro' });
        }
      }
      client.captureException(
        new TypeError("Cannot read properties of undefined (reading 'total')"),
        'user-2',
      );
      await client.shutdown();

      const groups = await errorGroups();
      expect(groups).toHaveLength(2);
      const declined = groups.find(group =>
        group.title.startsWith('Error: Payment declined'),
      )!;
      expect(declined).toMatchObject({
        source: 'posthog',
        level: 'error',
        count: 2,
        isNew: true,
      });
      expect(declined.title).toMatch(
        /^Error: Payment declined for order (1001|2002)$/,
      );
      expect(declined.topFrames[0]).toMatchObject({
        filename: expect.stringContaining('module.test.ts'),
        function: 'declinePayment',
        inApp: true,
      });
      const typeError = groups.find(group =>
        group.title.startsWith('TypeError'),
      )!;
      expect(typeError.count).toBe(1);
      // Exceptions are error groups, not a metric.
      expect(Object.keys(await metrics())).not.toContain('$exception');
    });

    it('keeps no raw distinct id or property', async () => {
      const tables = [
        'metric_users',
        'metric_points',
        'error_users',
        'error_events',
        'error_groups',
      ];
      for (const table of tables) {
        const dump = JSON.stringify(await knex(table).select());
        expect(dump).not.toMatch(/user-[1-4]/);
        expect(dump).not.toContain('user4@example.com');
        expect(dump).not.toContain('"plan"');
      }
    });

    it('stores a retried request once', async () => {
      const timestamp = previousHour().toISOString();
      const body = gzipSync(
        JSON.stringify({
          api_key: PROJECT_KEY,
          batch: [
            {
              event: 'retry_probe',
              distinct_id: 'user-9',
              timestamp,
              uuid: '0191d0c5-0000-7000-8000-000000000001',
            },
          ],
          sent_at: new Date().toISOString(),
        }),
      );
      for (let attempt = 0; attempt < 2; attempt++) {
        await request(server)
          .post('/api/product-os/posthog/batch/')
          .set('Content-Type', 'application/octet-stream')
          .set('Content-Encoding', 'gzip')
          .send(body)
          .expect(200, { status: 1 });
      }
      expect((await metrics()).retry_probe.total).toBe(1);
    });

    it('accepts the single-event shapes browser SDKs send to /e/ and /capture/', async () => {
      const event = {
        event: '$pageview',
        properties: {
          distinct_id: 'anon-7',
          token: PROJECT_KEY,
          $current_url: 'https://shop.example.com/cart',
        },
        timestamp: new Date().toISOString(),
      };
      await request(server)
        .post('/api/product-os/posthog/e/?compression=gzip-js')
        .set('Content-Type', 'text/plain')
        .send(gzipSync(JSON.stringify([event])))
        .expect(200);
      await request(server)
        .post('/api/product-os/posthog/capture/')
        .type('form')
        .send(
          `data=${encodeURIComponent(
            Buffer.from(JSON.stringify(event)).toString('base64'),
          )}`,
        )
        .expect(200);
      expect((await metrics()).$pageview.total).toBe(2);
    });

    it('inflates gzip that is not marked as such (current posthog-js: text/plain, no ?compression)', async () => {
      // posthog-js's request body for its `/e/` endpoint.
      const body = gzipSync(
        JSON.stringify({
          api_key: PROJECT_KEY,
          batch: [
            {
              event: 'unmarked_gzip',
              properties: { distinct_id: 'anon-8', token: PROJECT_KEY },
              timestamp: new Date().toISOString(),
            },
          ],
          sent_at: new Date().toISOString(),
        }),
      );
      await request(server)
        .post('/api/product-os/posthog/e/')
        .set('Content-Type', 'text/plain')
        .send(body)
        .expect(200, { status: 1 });
      // The sendBeacon fallback: base64 in a form, marked ?compression=base64.
      const beacon = Buffer.from(
        JSON.stringify({
          api_key: PROJECT_KEY,
          batch: [{ event: 'unmarked_gzip', distinct_id: 'anon-9' }],
        }),
      ).toString('base64');
      await request(server)
        .post('/api/product-os/posthog/e/?compression=base64')
        .type('form')
        .send(`data=${encodeURIComponent(beacon)}`)
        .expect(200);
      expect((await metrics()).unmarked_gzip.total).toBe(2);
    });

    it('answers the config and flags requests of posthog-js like a PostHog without flags', async () => {
      const config = await request(server)
        .get(`/api/product-os/posthog/array/${PROJECT_KEY}/config`)
        .expect(200);
      expect(config.body).toMatchObject({
        token: PROJECT_KEY,
        hasFeatureFlags: false,
        supportedCompression: ['gzip', 'gzip-js'],
        sessionRecording: false,
      });
      const script = await request(server)
        .get(`/api/product-os/posthog/array/${PROJECT_KEY}/config.js`)
        .expect(200)
        .expect('Content-Type', /javascript/);
      expect(script.text).toContain(
        `window._POSTHOG_REMOTE_CONFIG[${JSON.stringify(PROJECT_KEY)}]`,
      );
      await request(server)
        .get('/api/product-os/posthog/array/<script>/config.js')
        .expect(400);
      for (const path of ['/flags/?v=2', '/decide/?v=4']) {
        const flags = await request(server)
          .post(`/api/product-os/posthog${path}`)
          .set('Content-Type', 'text/plain')
          .send(gzipSync(JSON.stringify({ token: PROJECT_KEY })))
          .expect(200);
        expect(flags.body).toMatchObject({
          flags: {},
          featureFlags: {},
          errorsWhileComputingFlags: false,
        });
      }
    });

    it('accepts events for an unknown project key and counts them as unmapped', async () => {
      const client = new PostHog('phc_someoneElsesProject', {
        host,
        flushAt: 1,
        flushInterval: 0,
      });
      client.capture({ distinctId: 'user-1', event: 'checkout_completed' });
      await client.shutdown();
      const res = await request(server)
        .get('/api/product-os/admin/unmapped')
        .expect(200);
      expect(res.body.items).toContainEqual(
        expect.objectContaining({
          source: 'posthog',
          key: 'project-key:phc_someoneElsesProject',
          count: 1,
        }),
      );
    });

    it('refuses a request without an api_key with 401, and one that is not JSON with 400', async () => {
      const noKey = await request(server)
        .post('/api/product-os/posthog/batch/')
        .send({
          batch: [{ event: 'checkout_completed', distinct_id: 'user-1' }],
        })
        .expect(401);
      expect(noKey.body.error.message).toMatch(/api_key/);
      const notJson = await request(server)
        .post('/api/product-os/posthog/batch/')
        .set('Content-Type', 'application/json')
        .send('{"api_key": "phc_')
        .expect(400);
      expect(notJson.body.error.message).toMatch(/not valid JSON/);
      expect(Object.keys(await metrics())).not.toContain('unauthenticated');
    });

    it('answers the same 401 and 400 for a body large enough to be read on a worker thread', async () => {
      const pad = 'x'.repeat(200_000);
      const noKey = await request(server)
        .post('/api/product-os/posthog/batch/')
        .send({
          batch: [{ event: 'checkout_completed', distinct_id: 'user-1', pad }],
        })
        .expect(401);
      expect(noKey.body.error.message).toBe(
        'The request names no project API key (api_key)',
      );
      const notJson = await request(server)
        .post('/api/product-os/posthog/batch/')
        .set('Content-Type', 'application/json')
        .send(`{"api_key": "${PROJECT_KEY}", "pad": "${pad}`)
        .expect(400);
      expect(notJson.body.error.message).toMatch(
        /^Request body is not valid JSON: /,
      );
    });

    it('refuses an oversized body and a gzip bomb with 413', async () => {
      const huge = Buffer.from(
        JSON.stringify({
          api_key: PROJECT_KEY,
          batch: [
            {
              event: 'big',
              distinct_id: 'x',
              properties: { pad: 'x'.repeat(1_100_000) },
            },
          ],
        }),
      );
      const tooLarge = await request(server)
        .post('/api/product-os/posthog/batch/')
        .set('Content-Type', 'application/octet-stream')
        .send(huge)
        .expect(413);
      expect(tooLarge.body.error.name).toBe('PayloadTooLargeError');
      // 24 MiB of JSON whitespace, about 24 KiB gzipped: refused while it inflates.
      const bomb = gzipSync(Buffer.alloc(24 * 1024 * 1024, ' '));
      const inflated = await request(server)
        .post('/api/product-os/posthog/batch/')
        .set('Content-Type', 'application/octet-stream')
        .set('Content-Encoding', 'gzip')
        .send(bomb)
        .expect(413);
      expect(inflated.body.error.message).toMatch(/decompresses to more than/);
    });
  },
);

describe('PostHog source rate limit', () => {
  it('answers 429 with Retry-After once a project key goes over its rate', async () => {
    const backend = await startTestBackend({
      features: backendFeatures({ rateLimitPerMinute: 2 }),
    });
    const send = (apiKey: string) =>
      request(backend.server)
        .post('/api/product-os/posthog/batch/')
        .send({
          api_key: apiKey,
          batch: [{ event: 'tick', distinct_id: 'u' }],
        });
    await send(PROJECT_KEY).expect(200);
    await send(PROJECT_KEY).expect(200);
    const limited = await send(PROJECT_KEY).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await send('phc_anotherProject').expect(200);
  });
});
