import { ConfigReader } from '@backstage/config';
import { hmacSha256Hex } from '@internal/plugin-product-os-node';
import { createIngestHarness } from '@internal/plugin-product-os-node/testUtils';
import request from 'supertest';
import { incidentWebhook } from './__fixtures__/webhooks';
import { readPagerDutyConfig } from './config';
import { createRouter } from './router';

/* The webhook endpoint over the test kit's in-memory store: no backend is booted. */

const SECRET = 'a-pagerduty-signing-secret';
const ENTITY = 'component:default/checkout-api';

function harness(pagerduty: { webhookSecrets?: string[] }) {
  return createIngestHarness(
    {
      createRouter: context =>
        createRouter({
          config: readPagerDutyConfig(
            new ConfigReader({ productOs: { sources: { pagerduty } } }),
          ),
          context,
        }),
    },
    {
      entities: [
        {
          entityRef: ENTITY,
          annotations: { 'pagerduty.com/service-id': 'PCHECKOUT' },
        },
      ],
    },
  );
}

const triggered = JSON.stringify(
  incidentWebhook({
    eventId: '01DEN1HNLBC1VITK192ETBM5TS',
    eventType: 'incident.triggered',
    occurredAt: Date.parse('2026-11-20T09:15:00Z'),
    incidentId: 'Q1CHECKOUT',
    serviceId: 'PCHECKOUT',
    status: 'triggered',
    createdAt: Date.parse('2026-11-20T09:15:00Z'),
  }),
);

const deliver = (app: Parameters<typeof request>[0], body: string) =>
  request(app)
    .post('/webhook')
    .set('Content-Type', 'application/json')
    .set('X-PagerDuty-Signature', `v1=${hmacSha256Hex(SECRET, body)}`)
    .send(body);

describe('PagerDuty webhooks over the test kit', () => {
  it('refuses every webhook with 503 while no secret is configured, and stores nothing', async () => {
    const { app, store } = await harness({});
    const res = await deliver(app, triggered);
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe(
      'PagerDuty webhooks are not configured: productOs.sources.pagerduty.webhookSecrets is not set',
    );
    expect(store.incidents).toEqual([]);
  });

  it('stores a triggered incident and wakes the agent once the transaction commits', async () => {
    const { app, store, signals } = await harness({ webhookSecrets: [SECRET] });
    const res = await deliver(app, triggered);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'stored' });
    expect(store.incidents.map(({ incident }) => incident)).toEqual([
      expect.objectContaining({
        entityRef: ENTITY,
        externalId: 'Q1CHECKOUT',
        status: 'triggered',
      }),
    ]);
    expect(signals).toEqual([[ENTITY, 'incident_triggered']]);
  });
});
