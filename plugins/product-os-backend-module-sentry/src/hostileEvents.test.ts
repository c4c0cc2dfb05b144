import { TestDatabases } from '@backstage/backend-test-utils';
import { randomUUID } from 'crypto';
import type { Knex } from 'knex';
import request from 'supertest';
import * as zlib from 'zlib';
import {
  PROJECTS,
  SentryBackend,
  startSentryBackend,
} from './__testUtils__/sentryBackend';
import { MAX_SAMPLE_BYTES } from './events/bounds';

jest.setTimeout(120_000);

const { checkout } = PROJECTS;
const ENVELOPE_PATH = `/api/product-os/sentry/api/${checkout.id}/envelope/?sentry_key=${checkout.publicKey}`;
const MIB = 1024 * 1024;

function eventId(): string {
  return randomUUID().replace(/-/g, '');
}

/** An event as @sentry/node sends one, for the hostile fields to be put into. */
function nodeEvent(id: string, overrides: Record<string, unknown> = {}) {
  return {
    event_id: id,
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    release: 'checkout-api@2.15.0',
    environment: 'production',
    sdk: { name: 'sentry.javascript.node', version: '10.78.0' },
    contexts: {
      runtime: { name: 'node', version: 'v22.11.0' },
      trace: { trace_id: '3c79f60c11214eb38604f4ae0781bfb2' },
    },
    exception: {
      values: [
        {
          type: 'GatewayTimeoutError',
          value: 'Payment provider timed out after 3000 ms',
          mechanism: { type: 'generic', handled: true },
          stacktrace: {
            frames: [
              {
                filename: '/srv/checkout/src/routes/pay.js',
                module: 'routes:pay',
                function: 'postPayment',
                lineno: 31,
                in_app: true,
              },
            ],
          },
        },
      ],
    },
    ...overrides,
  };
}

function gzipEnvelope(event: { event_id: string }): Buffer {
  const payload = JSON.stringify(event);
  return zlib.gzipSync(
    Buffer.from(
      [
        JSON.stringify({
          event_id: event.event_id,
          sent_at: new Date().toISOString(),
        }),
        JSON.stringify({ type: 'event', length: Buffer.byteLength(payload) }),
        payload,
      ].join('\n'),
    ),
  );
}

/** 40,000 keys, as a sender can fit in a body under the limits. */
function manyKeys(count = 40_000): Record<string, string> {
  const map: Record<string, string> = {};
  for (let i = 0; i < count; i++) map[`key_${i}`] = `value ${i}`;
  return map;
}

describe('hostile Sentry events', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: SentryBackend;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      // The field bounds are tested on events larger than Sentry (and the default
      // `bodyLimits.eventBytes`) takes, as a deployment that raised it would receive.
      backend = await startSentryBackend({
        knex,
        sentry: { bodyLimits: { eventBytes: 20 * MIB } },
      });
    });

    afterAll(async () => {
      await backend.backend.stop();
    });

    async function send(event: { event_id: string }) {
      const body = gzipEnvelope(event);
      const res = await request(backend.server)
        .post(ENVELOPE_PATH)
        .set('Content-Encoding', 'gzip')
        .send(body);
      return { res, compressedBytes: body.length };
    }

    async function storedSample(id: string) {
      const [row] = await knex('error_events').where({ event_id: id });
      expect(row).toBeDefined();
      return {
        row,
        bytes: Buffer.byteLength(row.payload),
        payload: JSON.parse(row.payload),
      };
    }

    it('stores a 15 MiB timestamp as the time the event arrived, not as text', async () => {
      const id = eventId();
      const before = Date.now();
      const { res, compressedBytes } = await send(
        nodeEvent(id, { timestamp: '9'.repeat(15 * MIB) }),
      );
      expect(compressedBytes).toBeLessThan(64 * 1024);
      expect(res.status).toBe(200);

      const { row, bytes, payload } = await storedSample(id);
      expect(bytes).toBeLessThan(MAX_SAMPLE_BYTES);
      expect(bytes).toBeLessThan(4096);
      expect(Number(row.timestamp)).toBeGreaterThanOrEqual(before);
      expect(Number(row.timestamp)).toBeLessThanOrEqual(Date.now());
      expect(typeof payload.timestamp).toBe('number');
    });

    it('bounds maps of 40,000 keys, mechanisms and every other field', async () => {
      const id = eventId();
      // Within the body limits (20 MiB inflated, 1 MiB on the wire).
      const huge = 'x'.repeat(512 * 1024);
      const long = 'y'.repeat(1024);
      const frame = {
        filename: `/srv/${long}`,
        module: long,
        function: long,
        lineno: 2 ** 40,
        colno: -3,
        in_app: true,
        context_line: long,
        vars: manyKeys(100),
      };
      const { res, compressedBytes } = await send(
        nodeEvent(id, {
          release: huge,
          environment: huge,
          culprit: huge,
          title: huge,
          logger: huge,
          transaction: huge,
          server_name: huge,
          dist: huge,
          level: huge,
          tags: manyKeys(),
          extra: manyKeys(5000),
          fingerprint: Array.from({ length: 1000 }, () => long),
          contexts: {
            ...manyKeys(5000),
            os: manyKeys(),
            runtime: { name: huge, version: long, nested: manyKeys(5000) },
            app: manyKeys(5000),
          },
          breadcrumbs: {
            values: Array.from({ length: 1000 }, () => ({ message: 'crumb' })),
          },
          user: { id: long, email: long, data: manyKeys(1000) },
          exception: {
            values: Array.from({ length: 10 }, (_, i) => ({
              type: `${i}${long}`,
              value: long,
              module: long,
              mechanism: {
                type: long,
                handled: manyKeys(1000),
                data: manyKeys(1000),
                synthetic: 'yes',
              },
              stacktrace: { frames: Array.from({ length: 100 }, () => frame) },
            })),
          },
        }),
      );
      expect(compressedBytes).toBeLessThan(MIB);
      expect(res.status).toBe(200);

      const { row, bytes, payload } = await storedSample(id);
      expect(bytes).toBeLessThanOrEqual(MAX_SAMPLE_BYTES);
      expect(row.release.length).toBeLessThanOrEqual(250);
      expect(row.environment.length).toBeLessThanOrEqual(250);
      expect(payload.extra).toBeUndefined();
      expect(payload.breadcrumbs).toBeUndefined();
      expect(payload.user).toBeUndefined();
      expect(Object.keys(payload.tags ?? {}).length).toBeLessThanOrEqual(50);
      expect(Object.keys(payload.contexts).sort()).toEqual([
        'app',
        'os',
        'runtime',
      ]);
      for (const context of Object.values(payload.contexts ?? {})) {
        expect(Object.keys(context as object).length).toBeLessThanOrEqual(30);
      }
      const mechanisms = payload.exception.values.map(
        (exception: { mechanism?: unknown }) => exception.mechanism,
      );
      expect(mechanisms.length).toBeGreaterThan(0);
      for (const mechanism of mechanisms) {
        expect(mechanism).not.toHaveProperty('handled');
        expect(mechanism).not.toHaveProperty('data');
      }
      // What was cut says so.
      expect(payload._meta.trimmed.length).toBeGreaterThan(0);

      const [group] = (await backend.errorGroups('checkout-api')).filter(g =>
        g.title.startsWith('xxx'),
      );
      expect(group.title.length).toBeLessThanOrEqual(256);
      expect(group.title.endsWith('…')).toBe(true);
      expect(group.culprit!.length).toBeLessThanOrEqual(256);
    });

    it('keeps every field of a large but reasonable event under the cap', async () => {
      const id = eventId();
      const long = (n: number) => 'é'.repeat(n);
      const { res } = await send(
        nodeEvent(id, {
          exception: {
            values: Array.from({ length: 5 }, () => ({
              type: long(300),
              value: long(3000),
              stacktrace: {
                frames: Array.from({ length: 40 }, (_, i) => ({
                  filename: `/srv/${long(600)}`,
                  module: long(300),
                  function: `f${i}${long(300)}`,
                  lineno: i + 1,
                  colno: 7,
                  in_app: true,
                  // Control characters take six bytes each in JSON.
                  context_line: '\u0001'.repeat(300),
                })),
              },
            })),
          },
        }),
      );
      expect(res.status).toBe(200);
      const { bytes, payload } = await storedSample(id);
      expect(bytes).toBeLessThanOrEqual(MAX_SAMPLE_BYTES);
      expect(payload.exception.values.length).toBeGreaterThan(0);
      expect(payload._meta.trimmed).toEqual(
        expect.arrayContaining([expect.stringMatching(/sample/)]),
      );
    });
  });
});
