import { TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import request from 'supertest';
import {
  PROJECTS,
  SentryBackend,
  startSentryBackend,
} from './__testUtils__/sentryBackend';
import { envelope, errorEvent, eventId } from './__fixtures__/envelopes';

jest.setTimeout(60_000);

/*
 * What the real store and read API make of an SDK's envelopes. How a request is refused or
 * limited needs no backend: envelopeRequests.test.ts sends those over the test kit.
 */

const { checkout } = PROJECTS;
const ENVELOPE_PATH = `/api/product-os/sentry/api/${checkout.id}/envelope/`;

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
});
