import { createIngestHarness } from '@internal/plugin-product-os-node/testUtils';
import { ConfigReader } from '@backstage/config';
import request from 'supertest';
import * as zlib from 'zlib';
import { envelope, errorEvent, eventId } from './__fixtures__/envelopes';
import { ANNOTATED_ENTITIES, PROJECTS } from './__fixtures__/projects';
import { readSentryConfig } from './config';
import { createRouter } from './router';

/*
 * How the envelope endpoint treats a request (keys, encodings, malformed or oversized bodies,
 * unclaimed projects, rates), over the test kit's in-memory store: no backend is booted. What the
 * real store and read API make of the events is tested in envelopeEndpoint.test.ts.
 */

const { checkout } = PROJECTS;
const ENVELOPE_PATH = `/api/${checkout.id}/envelope/`;
const counter = { add() {} };

function sentryHarness(sentry: { rateLimitPerMinute?: number } = {}) {
  return createIngestHarness(
    {
      createRouter: context =>
        createRouter({
          config: readSentryConfig(
            new ConfigReader({
              productOs: {
                sources: {
                  sentry: { projects: Object.values(PROJECTS), ...sentry },
                },
              },
            }),
          ),
          context,
          metrics: { envelopeItems: counter, errorEvents: counter },
        }),
    },
    { entities: ANNOTATED_ENTITIES },
  );
}

describe('the envelope endpoint', () => {
  let harness: Awaited<ReturnType<typeof sentryHarness>>;
  let app: Awaited<ReturnType<typeof sentryHarness>>['app'];
  let store: Awaited<ReturnType<typeof sentryHarness>>['store'];

  beforeAll(async () => {
    harness = await sentryHarness();
    ({ app, store } = harness);
  });

  const post = (
    body: Buffer,
    query = `?sentry_key=${checkout.publicKey}&sentry_version=7`,
  ) =>
    request(app)
      .post(`${ENVELOPE_PATH}${query}`)
      .set('Content-Type', 'application/x-sentry-envelope')
      .send(body);

  async function storedEventIds(): Promise<string[]> {
    return store.errorEvents.map(event => event.eventId);
  }

  it('accepts the key in an X-Sentry-Auth header and gzip, deflate and br bodies', async () => {
    const encodings: [string, (b: Buffer) => Buffer][] = [
      ['gzip', zlib.gzipSync],
      ['deflate', zlib.deflateSync],
      ['br', zlib.brotliCompressSync],
    ];
    for (const [encoding, compress] of encodings) {
      const event = errorEvent(eventId());
      const res = await request(app)
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

    const unknownProject = await request(app)
      .post(`/api/999999/envelope/?sentry_key=${checkout.publicKey}`)
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
    const res = await request(app)
      .post(`${ENVELOPE_PATH}?sentry_key=${checkout.publicKey}`)
      .set('Content-Encoding', 'gzip')
      .send(bomb);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/decompresses to more than/);
    expect(await storedEventIds()).toEqual(before);
  });

  it('accepts a configured project no entity claims and counts it as unmapped', async () => {
    const event = errorEvent(eventId());
    const res = await request(app)
      .post(
        `/api/${PROJECTS.orphan.id}/envelope/?sentry_key=${PROJECTS.orphan.publicKey}`,
      )
      .send(envelope(event));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: event.event_id });
    expect(await storedEventIds()).not.toContain(event.event_id);
    expect(store.unmapped).toEqual({ 'sentry:legacy-cron': 1 });
  });
});

describe('the rate limit', () => {
  it('answers 429 with Retry-After once a key is over its rate', async () => {
    const { app } = await sentryHarness({ rateLimitPerMinute: 3 });
    const send = () =>
      request(app)
        .post(`${ENVELOPE_PATH}?sentry_key=${checkout.publicKey}`)
        .send(envelope(errorEvent(eventId())));
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    // Another project has its own allowance.
    const other = await request(app)
      .post(
        `/api/${PROJECTS.billing.id}/envelope/?sentry_key=${PROJECTS.billing.publicKey}`,
      )
      .send(envelope(errorEvent(eventId())));
    expect(other.status).toBe(200);
  });
});
