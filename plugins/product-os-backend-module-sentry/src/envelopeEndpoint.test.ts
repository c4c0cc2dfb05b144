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

jest.setTimeout(60_000);

const { checkout } = PROJECTS;
const ENVELOPE_PATH = `/api/product-os/sentry/api/${checkout.id}/envelope/`;

/** A fresh event id, as an SDK makes one. */
function eventId(): string {
  return randomUUID().replace(/-/g, '');
}

function errorEvent(
  id: string,
  message = 'Payment provider timed out after 3000 ms',
) {
  return {
    event_id: id,
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    release: 'checkout-api@2.15.0',
    environment: 'production',
    exception: {
      values: [
        {
          type: 'GatewayTimeoutError',
          value: message,
          stacktrace: {
            frames: [
              {
                filename: 'node:internal/process/task_queues',
                function: 'processTicksAndRejections',
                in_app: false,
              },
              {
                filename: '/srv/checkout/src/routes/pay.js',
                module: 'routes:pay',
                function: 'postPayment',
                lineno: 31,
                in_app: true,
              },
              {
                filename: '/srv/checkout/src/gateway/client.js',
                module: 'gateway:client',
                function: 'authorize',
                lineno: 88,
                in_app: true,
              },
            ],
          },
        },
      ],
    },
    user: { id: 'customer-1192', ip_address: '198.51.100.23' },
    request: {
      url: 'https://shop.example.com/pay',
      headers: { Cookie: 'session=s3cr3t' },
    },
  };
}

function envelope(event: { event_id: string }, extra: string[] = []): Buffer {
  const payload = JSON.stringify(event);
  return Buffer.from(
    [
      JSON.stringify({
        event_id: event.event_id,
        sent_at: new Date().toISOString(),
      }),
      JSON.stringify({ type: 'event', length: Buffer.byteLength(payload) }),
      payload,
      ...extra,
    ].join('\n'),
  );
}

describe('the envelope endpoint', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let backend: SentryBackend;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    backend = await startSentryBackend({ knex });
  });

  afterAll(async () => {
    await backend.backend.stop();
  });

  const post = (
    body: Buffer,
    query = `?sentry_key=${checkout.publicKey}&sentry_version=7`,
  ) =>
    request(backend.server)
      .post(`${ENVELOPE_PATH}${query}`)
      .set('Content-Type', 'application/x-sentry-envelope')
      .send(body);

  async function storedEventIds(): Promise<string[]> {
    const rows = await knex('error_event_ids').select('event_id');
    return rows.map(row => row.event_id);
  }

  it('stores an event and answers like Sentry', async () => {
    const event = errorEvent(eventId());
    const res = await post(envelope(event));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: event.event_id });

    const [group] = await backend.errorGroups('checkout-api');
    expect(group).toMatchObject({
      title: 'GatewayTimeoutError: Payment provider timed out after 3000 ms',
      culprit: 'authorize(/srv/checkout/src/gateway/client.js)',
      firstRelease: 'checkout-api@2.15.0',
      topFrames: [
        {
          filename: '/srv/checkout/src/gateway/client.js',
          function: 'authorize',
          lineno: 88,
          inApp: true,
        },
        {
          filename: '/srv/checkout/src/routes/pay.js',
          function: 'postPayment',
          lineno: 31,
          inApp: true,
        },
      ],
    });
  });

  it('keeps no personal data: users are hashed, request and user are dropped from the sample', async () => {
    const event = errorEvent(eventId());
    expect((await post(envelope(event))).status).toBe(200);

    const [sample] = await knex('error_events').where({
      event_id: event.event_id,
    });
    expect(sample.payload).not.toMatch(/customer-1192|198\.51\.100\.23|s3cr3t/);
    expect(JSON.parse(sample.payload)).toMatchObject({
      event_id: event.event_id,
      release: 'checkout-api@2.15.0',
      exception: { values: [{ type: 'GatewayTimeoutError' }] },
    });
    const users = await knex('error_users').select('user_key');
    expect(users.length).toBeGreaterThan(0);
    expect(users.map(u => u.user_key).join()).not.toMatch(/customer|198\.51/);
  });

  it('stores a replayed event once', async () => {
    const event = errorEvent(eventId(), 'Replay check 1');
    expect((await post(envelope(event))).status).toBe(200);
    expect((await post(envelope(event))).status).toBe(200);

    const group = (await backend.errorGroups('checkout-api')).find(g =>
      g.title.includes('Replay check'),
    );
    expect(group?.count).toBe(1);
    expect(
      await knex('error_events').where({ event_id: event.event_id }),
    ).toHaveLength(1);
  });

  it('accepts the key in an X-Sentry-Auth header and gzip, deflate and br bodies', async () => {
    const encodings: [string, (b: Buffer) => Buffer][] = [
      ['gzip', zlib.gzipSync],
      ['deflate', zlib.deflateSync],
      ['br', zlib.brotliCompressSync],
    ];
    for (const [encoding, compress] of encodings) {
      const event = errorEvent(eventId());
      const res = await request(backend.server)
        .post(ENVELOPE_PATH)
        .set(
          'X-Sentry-Auth',
          `Sentry sentry_version=7, sentry_client=sentry.python/2.19.0, sentry_key=${checkout.publicKey}`,
        )
        .set('Content-Encoding', encoding)
        .send(compress(envelope(event)));
      expect({ encoding, status: res.status }).toEqual({
        encoding,
        status: 200,
      });
      expect(await storedEventIds()).toContain(event.event_id);
    }
  });

  it.each([
    [
      'a truncated envelope',
      () => envelope(errorEvent(eventId())).subarray(0, 400),
      /Envelope is truncated: item 1 \(event\) declares \d+ bytes but \d+ follow/,
    ],
    [
      'an item longer than its length',
      () => {
        const event = errorEvent(eventId());
        const payload = JSON.stringify(event);
        return Buffer.from(
          `{}\n${JSON.stringify({
            type: 'event',
            length: Buffer.byteLength(payload) - 10,
          })}\n${payload}`,
        );
      },
      /Item 1 \(event\) is longer than its declared length/,
    ],
    [
      'an event that is not JSON',
      () =>
        Buffer.from(`{}\n{"type":"event"}\n{"event_id": "abc", "exception": `),
      /Item 1 \(event\) is not valid JSON/,
    ],
    [
      'an invalid event id',
      () => envelope({ ...errorEvent('x'), event_id: 'not-an-id' }),
      /Invalid event_id 'not-an-id'/,
    ],
    [
      'a broken second event after a valid one',
      () =>
        envelope(errorEvent(eventId()), [
          '{"type":"event"}',
          '{"exception": [',
        ]),
      /Item 2 \(event\) is not valid JSON/,
    ],
  ])('refuses %s with 400 and stores nothing', async (_name, body, message) => {
    const before = await storedEventIds();
    const res = await post(body());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(await storedEventIds()).toEqual(before);
  });

  it('refuses a wrong, missing or unknown key with 401 and stores nothing', async () => {
    const before = await storedEventIds();
    const body = envelope(errorEvent(eventId()));

    const wrong = await post(body, `?sentry_key=${PROJECTS.billing.publicKey}`);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(
      /Invalid sentry_key for project '4505'/,
    );

    const missing = await post(body, '');
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toMatch(/Missing sentry_key/);

    const unknownProject = await request(backend.server)
      .post(
        `/api/product-os/sentry/api/999999/envelope/?sentry_key=${checkout.publicKey}`,
      )
      .send(body);
    expect(unknownProject.status).toBe(401);
    expect(unknownProject.body.error.message).toMatch(
      /Unknown Sentry project '999999'/,
    );

    expect(await storedEventIds()).toEqual(before);
  });

  it('refuses an oversized body and a gzip bomb with 413', async () => {
    const before = await storedEventIds();
    const oversized = envelope({
      ...errorEvent(eventId()),
      extra: { blob: 'x'.repeat(2 * 1024 * 1024) },
    } as ReturnType<typeof errorEvent>);
    const tooLarge = await post(oversized);
    expect(tooLarge.status).toBe(413);

    // 50 MB of zeros compress to about 50 KB, well under the wire limit.
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await request(backend.server)
      .post(`${ENVELOPE_PATH}?sentry_key=${checkout.publicKey}`)
      .set('Content-Encoding', 'gzip')
      .send(bomb);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/decompresses to more than/);
    expect(await storedEventIds()).toEqual(before);
  });

  it('accepts the legacy store endpoint', async () => {
    const event = errorEvent(eventId(), 'Legacy store endpoint check');
    const res = await request(backend.server)
      .post(
        `/api/product-os/sentry/api/${checkout.id}/store/?sentry_key=${checkout.publicKey}`,
      )
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(event));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: event.event_id });
    const titles = (await backend.errorGroups('checkout-api')).map(
      g => g.title,
    );
    expect(titles).toContain(
      'GatewayTimeoutError: Legacy store endpoint check',
    );
  });

  it('accepts a configured project no entity claims and counts it as unmapped', async () => {
    const event = errorEvent(eventId());
    const res = await request(backend.server)
      .post(
        `/api/product-os/sentry/api/${PROJECTS.orphan.id}/envelope/?sentry_key=${PROJECTS.orphan.publicKey}`,
      )
      .send(envelope(event));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: event.event_id });
    expect(await storedEventIds()).not.toContain(event.event_id);
    const [unmapped] = await knex('unmapped_deliveries').where({
      source: 'sentry',
    });
    expect(unmapped).toMatchObject({ key: 'legacy-cron', count: 1 });
  });
});

describe('the rate limit', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('answers 429 with Retry-After once a key is over its rate', async () => {
    const backend = await startSentryBackend({
      knex: await databases.init('SQLITE_3'),
      sentry: { rateLimitPerMinute: 3 },
    });
    const send = () =>
      request(backend.server)
        .post(`${ENVELOPE_PATH}?sentry_key=${checkout.publicKey}`)
        .send(envelope(errorEvent(eventId())));
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    // Another project has its own allowance.
    const other = await request(backend.server)
      .post(
        `/api/product-os/sentry/api/${PROJECTS.billing.id}/envelope/?sentry_key=${PROJECTS.billing.publicKey}`,
      )
      .send(envelope(errorEvent(eventId())));
    expect(other.status).toBe(200);
    await backend.backend.stop();
  });
});
