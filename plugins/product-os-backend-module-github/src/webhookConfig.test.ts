import { ConfigReader } from '@backstage/config';
import { hmacSha256Hex } from '@internal/plugin-product-os-node';
import { createIngestHarness } from '@internal/plugin-product-os-node/testUtils';
import request from 'supertest';
import { readGitHubSourceConfig } from './config';
import { createRouter } from './router';

/* The webhook endpoint over the test kit's in-memory store: no backend is booted. */

const SECRET = 'a-github-webhook-secret';

function harness(github: { webhookSecret?: string }) {
  return createIngestHarness({
    createRouter: context =>
      createRouter({
        config: readGitHubSourceConfig(
          new ConfigReader({ productOs: { sources: { github } } }),
        ),
        context,
      }),
  });
}

const push = JSON.stringify({
  ref: 'refs/heads/main',
  repository: { full_name: 'acme/unclaimed', default_branch: 'main' },
  commits: [],
});

const deliver = (app: Parameters<typeof request>[0], body: string) =>
  request(app)
    .post('/webhook')
    .set('Content-Type', 'application/json')
    .set('X-GitHub-Event', 'ping')
    .set('X-GitHub-Delivery', 'delivery-1')
    .set('X-Hub-Signature-256', `sha256=${hmacSha256Hex(SECRET, body)}`)
    .send(body);

describe('GitHub webhooks over the test kit', () => {
  it('refuses every delivery with 503 while no secret is configured', async () => {
    const { app } = await harness({});
    const res = await deliver(app, push);
    expect(res.status).toBe(503);
    expect(res.body.error.message).toBe(
      'GitHub webhooks are not configured: productOs.sources.github.webhookSecret is not set',
    );
  });

  it('answers a ping once the secret is configured', async () => {
    const { app } = await harness({ webhookSecret: SECRET });
    const res = await deliver(app, push);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });
});
