import { ConfigReader } from '@backstage/config';
import { hmacSha256Hex } from '@internal/plugin-product-os-node';
import { createIngestHarness } from '@internal/plugin-product-os-node/testUtils';
import request from 'supertest';
import issueCreated from './__fixtures__/issue-created.json';
import { readSentryConfig } from './config';
import { createRouter } from './router';

/* The webhook endpoint over the test kit's in-memory store: no backend is booted. */

const SECRET = 'a-sentry-client-secret';
const counter = { add() {} };

function harness(sentry: { webhookSecret?: string }) {
  return createIngestHarness(
    {
      createRouter: context =>
        createRouter({
          config: readSentryConfig(
            new ConfigReader({ productOs: { sources: { sentry } } }),
          ),
          context,
          metrics: { envelopeItems: counter, errorEvents: counter },
        }),
    },
    {
      entities: [
        {
          entityRef: 'component:default/checkout-api',
          annotations: {
            'sentry.io/project-slug': issueCreated.data.issue.project.slug,
          },
        },
      ],
    },
  );
}

const deliver = (app: Parameters<typeof request>[0], body: string) =>
  request(app)
    .post('/webhook')
    .set('Content-Type', 'application/json')
    .set('Sentry-Hook-Resource', 'issue')
    .set('Sentry-Hook-Signature', hmacSha256Hex(SECRET, body))
    .send(body);

describe('Sentry webhooks over the test kit', () => {
  it('refuses every webhook with 503 while no secret is configured, and stores nothing', async () => {
    const { app, store } = await harness({});
    const res = await deliver(app, JSON.stringify(issueCreated));
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe(
      'Sentry webhooks are not configured: productOs.sources.sentry.webhookSecret is not set',
    );
    expect(store.errorGroups).toEqual([]);
  });

  it('stores a created issue for the entity claiming its project, and wakes the agent after the commit', async () => {
    const { app, store, signals } = await harness({ webhookSecret: SECRET });
    const res = await deliver(app, JSON.stringify(issueCreated));
    expect(res.status).toBe(200);
    expect(store.errorGroups).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/checkout-api',
        fingerprint: `sentry-issue:${issueCreated.data.issue.id}`,
        count: 1,
      }),
    ]);
    expect(signals).toEqual([
      ['component:default/checkout-api', 'new_error_group'],
    ]);
  });
});
