import { TestDatabases } from '@backstage/backend-test-utils';
import { hmacSha256Hex } from '@internal/plugin-product-os-node';
import { randomUUID } from 'crypto';
import type { Knex } from 'knex';
import request from 'supertest';
import errorCreated from './__fixtures__/error-created.json';
import issueCreated from './__fixtures__/issue-created.json';
import {
  SentryBackend,
  startSentryBackend,
  WEBHOOK_SECRET,
} from './__testUtils__/sentryBackend';
import { MAX_SAMPLE_BYTES } from './events/bounds';

jest.setTimeout(60_000);

const HOUR = 3_600_000;

/** The fixture, with its times moved to the last hours so the read API's window holds them. */
function issueWebhook(action: string, overrides: Record<string, unknown> = {}) {
  const payload = structuredClone(issueCreated) as any;
  payload.action = action;
  payload.data.issue.firstSeen = new Date(Date.now() - 2 * HOUR).toISOString();
  payload.data.issue.lastSeen = new Date(Date.now() - HOUR).toISOString();
  Object.assign(payload.data.issue, overrides);
  return payload;
}

function errorWebhook(eventId: string) {
  const payload = structuredClone(errorCreated) as any;
  payload.data.error.event_id = eventId;
  payload.data.error.timestamp = Date.now() / 1000 - 60;
  return payload;
}

describe('the webhook endpoint', () => {
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

  function deliver(
    resource: string,
    payload: unknown,
    options: { signature?: string; requestId?: string } = {},
  ) {
    const body = JSON.stringify(payload);
    return request(backend.server)
      .post('/api/product-os/sentry/webhook')
      .set('Content-Type', 'application/json')
      .set('Request-ID', options.requestId ?? randomUUID())
      .set('Sentry-Hook-Resource', resource)
      .set('Sentry-Hook-Timestamp', String(Math.floor(Date.now() / 1000)))
      .set(
        'Sentry-Hook-Signature',
        options.signature ?? hmacSha256Hex(WEBHOOK_SECRET, body),
      )
      .send(body);
  }

  const issueGroup = async () =>
    (await backend.errorGroups('checkout-api')).find(
      group => group.fingerprint === 'sentry-issue:5120448931',
    );

  it('refuses a wrong or missing signature with 401 and stores nothing', async () => {
    const payload = issueWebhook('created');
    const wrong = await deliver('issue', payload, {
      signature: hmacSha256Hex('not the secret', JSON.stringify(payload)),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/Invalid Sentry-Hook-Signature/);

    const missing = await request(backend.server)
      .post('/api/product-os/sentry/webhook')
      .set('Sentry-Hook-Resource', 'issue')
      .send(payload);
    expect(missing.status).toBe(401);

    expect(await knex('error_groups').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect(await knex('deliveries').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('creates the group of a new Sentry issue', async () => {
    const res = await deliver('issue', issueWebhook('created'));
    expect(res.status).toBe(200);

    expect(await issueGroup()).toMatchObject({
      source: 'sentry',
      title: "TypeError: Cannot read properties of undefined (reading 'last4')",
      culprit: 'chargeCard(src/payments/charge.ts)',
      status: 'unresolved',
      permalink: 'https://acme.sentry.io/issues/5120448931/',
      count: 1,
    });
  });

  it('follows the issue through resolved, unresolved and archived', async () => {
    expect(
      (await deliver('issue', issueWebhook('resolved', { status: 'resolved' })))
        .status,
    ).toBe(200);
    expect((await issueGroup())?.status).toBe('resolved');

    expect((await deliver('issue', issueWebhook('unresolved'))).status).toBe(
      200,
    );
    expect((await issueGroup())?.status).toBe('unresolved');

    expect(
      (await deliver('issue', issueWebhook('archived', { status: 'ignored' })))
        .status,
    ).toBe(200);
    expect((await issueGroup())?.status).toBe('ignored');

    expect(
      (
        await deliver(
          'issue',
          issueWebhook('assigned', {
            status: 'ignored',
            assignedTo: { type: 'user', id: '1', name: 'Jane' },
          }),
        )
      ).status,
    ).toBe(200);
    expect((await issueGroup())?.status).toBe('ignored');
    // Status changes add no events.
    expect((await issueGroup())?.count).toBe(1);
  });

  it('stores the event of an error webhook in its issue group, once per delivery', async () => {
    const eventId = randomUUID().replace(/-/g, '');
    const requestId = randomUUID();
    expect(
      (await deliver('error', errorWebhook(eventId), { requestId })).status,
    ).toBe(200);
    expect(
      (await deliver('error', errorWebhook(eventId), { requestId })).status,
    ).toBe(200);
    // The same event under another delivery id is still one event.
    expect((await deliver('error', errorWebhook(eventId))).status).toBe(200);

    const group = await issueGroup();
    expect(group?.count).toBe(2);
    expect(group?.topFrames.map(frame => frame.function)).toEqual([
      'chargeCard',
      'postCheckout',
    ]);
    const [sample] = await knex('error_events').where({ event_id: eventId });
    expect(sample.release).toBe('checkout-api@2.14.0');
    expect(sample.payload).not.toMatch(
      /jane@example\.com|203\.0\.113\.7|session=secret/,
    );
  });

  it('stores the event of an event_alert webhook', async () => {
    const eventId = randomUUID().replace(/-/g, '');
    const alert = {
      action: 'triggered',
      actor: { id: 'sentry', name: 'Sentry', type: 'application' },
      data: {
        event: errorWebhook(eventId).data.error,
        triggered_rule: 'Checkout errors',
        issue_alert: { title: 'Checkout errors', settings: [] },
      },
      installation: { uuid: '0f5e9c7a-3a51-4f0e-a0d8-2b8f6de1c4a9' },
    };
    expect((await deliver('event_alert', alert)).status).toBe(200);
    expect((await issueGroup())?.count).toBe(3);
  });

  it('accepts an issue of a project no entity claims and counts it as unmapped', async () => {
    const payload = issueWebhook('created', {
      id: '5120449999',
      project: {
        id: '9001',
        name: 'mobile',
        platform: 'react-native',
        slug: 'mobile-app',
      },
    });
    const res = await deliver('issue', payload);
    expect(res.status).toBe(202);
    expect(
      await knex('unmapped_deliveries').where({ source: 'sentry' }),
    ).toEqual([expect.objectContaining({ key: 'mobile-app', count: 1 })]);
  });

  it('stores bounded data of a hostile error webhook and issue', async () => {
    const eventId = randomUUID().replace(/-/g, '');
    const hostile = errorWebhook(eventId);
    const os: Record<string, string> = {};
    // Within the webhook body limit of 1 MiB.
    for (let i = 0; i < 20_000; i++) os[`k${i}`] = `v${i}`;
    Object.assign(hostile.data.error, {
      issue_id: '7700000001',
      timestamp: '9'.repeat(200_000),
      title: 'T'.repeat(50_000),
      contexts: { os },
    });
    hostile.data.error.exception.values[0].mechanism = {
      type: 'generic',
      handled: { nested: { deeper: ['not', 'a', 'boolean'] } },
    };
    expect((await deliver('error', hostile)).status).toBe(200);
    const [sample] = await knex('error_events').where({ event_id: eventId });
    expect(Buffer.byteLength(sample.payload)).toBeLessThanOrEqual(
      MAX_SAMPLE_BYTES,
    );
    const payload = JSON.parse(sample.payload);
    expect(Object.keys(payload.contexts.os)).toHaveLength(30);
    expect(payload.exception.values[0].mechanism.handled).toBeUndefined();
    expect(typeof payload.timestamp).toBe('number');

    const issue = issueWebhook('created', {
      id: '7700000002',
      title: undefined,
      culprit: 'c'.repeat(100_000),
      metadata: { type: 'E'.repeat(100_000), value: 'v'.repeat(100_000) },
    });
    expect((await deliver('issue', issue)).status).toBe(200);
    const group = (await backend.errorGroups('checkout-api')).find(
      g => g.fingerprint === 'sentry-issue:7700000002',
    );
    expect(group?.title).toHaveLength(256);
    expect(group?.culprit).toHaveLength(256);
  });

  it('refuses a payload without an issue with 400, and ignores other resources', async () => {
    const bad = await deliver('issue', { action: 'created', data: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/data.issue.id/);

    const comment = await deliver('comment', {
      action: 'created',
      data: {
        comment: 'looking into it',
        project_slug: 'checkout-api',
        comment_id: 1,
        issue_id: 5120448931,
      },
    });
    expect(comment.status).toBe(202);
  });
});
