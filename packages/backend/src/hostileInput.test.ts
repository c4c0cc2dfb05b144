import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import productOsPlugin from '@internal/plugin-product-os-backend';
import githubModule from '@internal/plugin-product-os-backend-module-github';
import pagerDutyModule from '@internal/plugin-product-os-backend-module-pagerduty';
import postHogModule from '@internal/plugin-product-os-backend-module-posthog';
import sentryModule from '@internal/plugin-product-os-backend-module-sentry';
import { hmacSha256Hex } from '@internal/plugin-product-os-node';
import webhookExamples from '@octokit/webhooks-examples';
import { sign } from '@octokit/webhooks-methods';
import type { Server } from 'http';
import type { Knex } from 'knex';
import request from 'supertest';

jest.setTimeout(180_000);

/*
 * Hostile input through every vendor endpoint, on both engines: NUL characters, strings longer
 * than their columns, integers outside their column types and JSON nested past any stack. Each
 * delivery is answered 2xx (stored, fitted to its columns) or 400 (refused with the reason),
 * never 500, and both engines end up with the same rows.
 */

const NUL = '\u0000';
const LONG = 'x'.repeat(300);
const T0 = Date.UTC(2026, 10, 20, 9);
const SENTRY = { id: '4505', publicKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' };
const SENTRY_SECRET = 'sentry-webhook-secret';
const GITHUB_SECRET = 'github-webhook-secret';
const PAGERDUTY_SECRET = 'pagerduty-webhook-secret';
const ROUTING_KEY = 'R0UT1NGK3Y0F7HECH3CK0U7S3RV1C3XX';
const POSTHOG_KEY = 'phc_checkout0123456789';

const checkout = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: {
      'sentry.io/project-slug': 'checkout-api',
      'github.com/project-slug': 'Codertocat/Hello-World',
      'pagerduty.com/service-id': 'PCHECK1',
      'pagerduty.com/integration-key': ROUTING_KEY,
      'product-os.io/posthog-project-key': POSTHOG_KEY,
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { next: value };
  return value;
}

/**
 * A JSON text nested `depth` levels (2 bytes a level, inside every body limit), written without
 * building the object, which JSON.stringify could not serialise.
 */
function deepJson(depth: number) {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

const DEEP = 20_000;

function sentryEvent(id: string, overrides: Record<string, unknown> = {}) {
  return {
    event_id: id.padEnd(32, '0'),
    timestamp: T0 / 1000,
    platform: 'node',
    level: 'error',
    release: `checkout@2.0${NUL}`,
    environment: `production${NUL}`,
    exception: {
      values: [
        {
          type: 'TypeError',
          value: `Cannot read ${NUL}amount`,
          stacktrace: {
            frames: [
              {
                filename: 'src/cart/total.ts',
                function: `computeTotal${NUL}`,
                in_app: true,
                lineno: 12,
              },
            ],
          },
        },
      ],
    },
    extra: { [`ke${NUL}y`]: `va${NUL}lue` },
    ...overrides,
  };
}

interface Delivery {
  name: string;
  send(server: Server): Promise<request.Response>;
  /** The status this delivery must get. */
  status: number;
}

function envelope(event: unknown) {
  // No sent_at: the stored times must not depend on when the test runs.
  return `${JSON.stringify({})}\n${JSON.stringify({
    type: 'event',
  })}\n${typeof event === 'string' ? event : JSON.stringify(event)}\n`;
}

const sentryEnvelope = (server: Server, body: string) =>
  request(server)
    .post(
      `/api/product-os/sentry/api/${SENTRY.id}/envelope/?sentry_key=${SENTRY.publicKey}`,
    )
    .set('Content-Type', 'application/x-sentry-envelope')
    .send(body);

const sentryWebhook = (server: Server, id: string, payload: unknown) => {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return request(server)
    .post('/api/product-os/sentry/webhook')
    .set('Content-Type', 'application/json')
    .set('Request-ID', id)
    .set('Sentry-Hook-Resource', 'error')
    .set('Sentry-Hook-Signature', hmacSha256Hex(SENTRY_SECRET, body))
    .send(body);
};

const github = async (
  server: Server,
  event: string,
  id: string,
  payload: unknown,
) => {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return request(server)
    .post('/api/product-os/github/webhook')
    .set('Content-Type', 'application/json')
    .set('X-GitHub-Event', event)
    .set('X-GitHub-Delivery', id)
    .set('X-Hub-Signature-256', await sign(GITHUB_SECRET, body))
    .send(body);
};

const pagerDutyWebhook = (server: Server, payload: unknown) => {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return request(server)
    .post('/api/product-os/pagerduty/webhook')
    .set('Content-Type', 'application/json')
    .set('X-PagerDuty-Signature', `v1=${hmacSha256Hex(PAGERDUTY_SECRET, body)}`)
    .send(body);
};

const pagerDutyEvents = (server: Server, path: string, body: unknown) =>
  request(server)
    .post(`/api/product-os/pagerduty${path}`)
    .set('Content-Type', 'application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));

const postHog = (server: Server, body: unknown) =>
  request(server)
    .post('/api/product-os/posthog/batch/')
    .set('Content-Type', 'application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));

function pullRequest(overrides: { number?: number; login?: string }) {
  const payload = structuredClone(
    webhookExamples
      .find(d => d.name === 'pull_request')!
      .examples.find(
        (e: any) => e.action === 'closed' && e.pull_request?.merged,
      ) ?? webhookExamples.find(d => d.name === 'pull_request')!.examples[0],
  ) as any;
  payload.repository.full_name = 'Codertocat/Hello-World';
  payload.pull_request.title = `Fix ${NUL}totals`;
  payload.pull_request.merged_at = new Date(T0).toISOString();
  payload.pull_request.updated_at = new Date(T0).toISOString();
  payload.pull_request.created_at = new Date(T0 - 3_600_000).toISOString();
  payload.pull_request.closed_at = new Date(T0).toISOString();
  if (overrides.login) payload.pull_request.user.login = overrides.login;
  if (overrides.number !== undefined) {
    payload.number = overrides.number;
    payload.pull_request.number = overrides.number;
  }
  return payload;
}

function incidentWebhook(eventId: string, overrides: Record<string, unknown>) {
  return {
    event: {
      id: eventId,
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: new Date(T0).toISOString(),
      agent: null,
      client: null,
      data: {
        id: 'PINC001',
        type: 'incident',
        html_url: 'https://acme.pagerduty.com/incidents/PINC001',
        number: 7,
        status: 'triggered',
        created_at: new Date(T0).toISOString(),
        title: `Checkout ${NUL}down`,
        service: { id: 'PCHECK1', type: 'service_reference' },
        assignees: [
          { id: 'PUSER1', summary: `Ann${NUL}`, type: 'user_reference' },
        ],
        urgency: LONG,
        priority: { id: 'P1', summary: LONG, type: 'priority_reference' },
        ...overrides,
      },
    },
  };
}

function alertEvent(overrides: Record<string, unknown> = {}) {
  return {
    routing_key: ROUTING_KEY,
    event_action: 'trigger',
    // PagerDuty's own limit is 255 characters; the stored id adds to it.
    dedup_key: `dedup-${LONG}`.slice(0, 255),
    client: LONG,
    client_url: `https://monitoring.example.com/${LONG}`,
    payload: {
      summary: `Checkout latency ${NUL}high`,
      source: LONG,
      severity: 'critical',
      timestamp: new Date(T0).toISOString(),
      custom_details: { [`de${NUL}tail`]: `va${NUL}lue` },
    },
    ...overrides,
  };
}

function postHogBatch(events: unknown[]) {
  return { api_key: POSTHOG_KEY, batch: events };
}

const DELIVERIES: Delivery[] = [
  // Sentry envelope: NULs in message, release, environment, frames and extra; a long release.
  {
    name: 'sentry envelope with NULs',
    status: 200,
    send: s => sentryEnvelope(s, envelope(sentryEvent('a1'))),
  },
  {
    name: 'sentry envelope with a 300-character release and environment',
    status: 200,
    send: s =>
      sentryEnvelope(
        s,
        envelope(
          sentryEvent('a2', {
            release: LONG,
            environment: LONG,
            message: `plain ${NUL}message`,
          }),
        ),
      ),
  },
  {
    // The module keeps only the parts of an event it stores, so the depth never reaches the store.
    name: 'sentry envelope nested 20 000 deep',
    status: 200,
    send: s =>
      sentryEnvelope(
        s,
        envelope(
          JSON.stringify(sentryEvent('a3')).replace(
            /}$/,
            `,"contexts":${deepJson(DEEP)}}`,
          ),
        ),
      ),
  },
  // Sentry webhook (error resource).
  {
    name: 'sentry error webhook with NULs and a long release',
    status: 200,
    send: s =>
      sentryWebhook(s, 'sentry-delivery-1', {
        action: 'created',
        data: {
          error: {
            ...sentryEvent('b1', { release: LONG }),
            project: Number(SENTRY.id),
            issue_id: '90001',
            title: `TypeError: ${NUL}bad`,
            web_url: 'https://acme.sentry.io/issues/90001/events/b1/',
          },
        },
      }),
  },
  {
    name: 'sentry webhook nested 20 000 deep',
    status: 200,
    send: s =>
      sentryWebhook(
        s,
        'sentry-delivery-2',
        JSON.stringify({
          action: 'created',
          data: {
            error: {
              ...sentryEvent('b2'),
              project: Number(SENTRY.id),
              issue_id: '90002',
            },
          },
        }).replace(/}}}$/, `,"contexts":{"deep":${deepJson(DEEP)}}}}}`),
      ),
  },
  // GitHub, signed like GitHub does.
  {
    name: 'github pull request with NUL title and a 300-character login',
    status: 200,
    send: s =>
      github(
        s,
        'pull_request',
        'gh-1',
        pullRequest({ login: LONG, number: 5 }),
      ),
  },
  {
    name: 'github pull request number 2^40',
    status: 400,
    send: s =>
      github(s, 'pull_request', 'gh-2', pullRequest({ number: 2 ** 40 })),
  },
  {
    name: 'github delivery id of 300 characters',
    status: 200,
    send: s =>
      github(s, 'pull_request', `gh-${LONG}`, pullRequest({ number: 6 })),
  },
  {
    name: 'github webhook nested 20 000 deep',
    status: 400,
    send: s =>
      github(
        s,
        'pull_request',
        'gh-3',
        `{"action":"closed","repository":{"full_name":"Codertocat/Hello-World"},"pull_request":${deepJson(
          DEEP,
        )}}`,
      ),
  },
  // PagerDuty V3 webhook, signed.
  {
    name: 'pagerduty webhook with NUL title, long urgency and a 300-character event id',
    status: 202,
    send: s => pagerDutyWebhook(s, incidentWebhook(`E-${LONG}`, {})),
  },
  {
    // The module reads the fields it stores; the deep one never reaches the store.
    name: 'pagerduty webhook nested 20 000 deep',
    status: 202,
    send: s =>
      pagerDutyWebhook(
        s,
        JSON.stringify(incidentWebhook('E2', {})).replace(
          /}}$/,
          `,"deep":${deepJson(DEEP)}}}`,
        ),
      ),
  },
  // PagerDuty Events API v2.
  {
    name: 'pagerduty alert event with NUL summary, long client, source and dedup key',
    status: 202,
    send: s => pagerDutyEvents(s, '/v2/enqueue', alertEvent()),
  },
  {
    name: 'pagerduty change event with NUL summary',
    status: 202,
    send: s =>
      pagerDutyEvents(s, '/v2/change/enqueue', {
        routing_key: ROUTING_KEY,
        payload: {
          summary: `Deploy ${NUL}checkout`,
          source: LONG,
          timestamp: new Date(T0).toISOString(),
        },
      }),
  },
  {
    name: 'pagerduty alert event nested 20 000 deep',
    status: 202,
    send: s =>
      pagerDutyEvents(
        s,
        '/v2/enqueue',
        JSON.stringify(alertEvent()).replace(
          /}$/,
          `,"links":${deepJson(DEEP)}}`,
        ),
      ),
  },
  // PostHog batch.
  {
    name: 'posthog batch with NUL and 300-character event names and a NUL $exception',
    status: 200,
    send: s =>
      postHog(
        s,
        postHogBatch([
          {
            event: `checkout${NUL}_completed`,
            distinct_id: LONG,
            timestamp: new Date(T0).toISOString(),
            properties: { [`pro${NUL}p`]: `va${NUL}l` },
          },
          {
            event: LONG,
            distinct_id: 'u-2',
            timestamp: new Date(T0).toISOString(),
            properties: {},
          },
          {
            event: '$exception',
            distinct_id: 'u-3',
            timestamp: new Date(T0).toISOString(),
            properties: {
              $exception_list: [
                {
                  type: 'TypeError',
                  value: `Cannot read ${NUL}amount`,
                  stacktrace: {
                    type: 'raw',
                    frames: [
                      {
                        filename: 'src/cart.ts',
                        function: `total${NUL}`,
                        in_app: true,
                        lineno: 3,
                      },
                    ],
                  },
                },
              ],
            },
          },
        ]),
      ),
  },
  {
    // Properties are read for what is stored (names, users, exceptions), not stored whole.
    name: 'posthog batch nested 20 000 deep',
    status: 200,
    send: s =>
      postHog(
        s,
        `{"api_key":"${POSTHOG_KEY}","batch":[{"event":"deep","distinct_id":"u","properties":${deepJson(
          DEEP,
        )}}]}`,
      ),
  },
  {
    name: 'posthog batch with deep but parseable properties',
    status: 200,
    send: s =>
      postHog(
        s,
        postHogBatch([
          {
            event: 'nested_ok',
            distinct_id: 'u-4',
            timestamp: new Date(T0).toISOString(),
            properties: { deep: nested(20) },
          },
        ]),
      ),
  },
];

/** The rows of every ingest table, without generated ids and receive times. */
async function dump(knex: Knex) {
  const tables = [
    'error_groups',
    'error_events',
    'error_event_ids',
    'change_events',
    'incidents',
    'incident_events',
    'metric_points',
    'deliveries',
    'unmapped_deliveries',
  ];
  const result: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = (await knex(table)).map(row => {
      const copy: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(row)) {
        if (['id', 'group_id', 'incident_id', 'received_at'].includes(name))
          continue;
        copy[name] =
          typeof value === 'string' && /^-?\d+$/.test(value)
            ? Number(value)
            : value;
      }
      return copy;
    });
    result[table] = rows
      .map(row => JSON.stringify(row, Object.keys(row).sort()))
      .sort()
      .map(text => JSON.parse(text));
  }
  return result;
}

const dumps = new Map<TestDatabaseId, Record<string, unknown[]>>();
const answers = new Map<TestDatabaseId, Record<string, unknown>>();

describe('hostile input through every vendor endpoint', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let server: Server;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          productOsPlugin,
          sentryModule,
          githubModule,
          pagerDutyModule,
          postHogModule,
          catalogServiceMock.factory({ entities: [checkout] }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              productOs: {
                agent: { enabled: false },
                sources: {
                  sentry: {
                    projects: [{ ...SENTRY, slug: 'checkout-api' }],
                    webhookSecret: SENTRY_SECRET,
                  },
                  github: { webhookSecret: GITHUB_SECRET },
                  pagerduty: { webhookSecrets: [PAGERDUTY_SECRET] },
                },
              },
            },
          }),
        ],
      });
      server = backend.server;
      stop = () => backend.stop();
    });

    afterAll(async () => {
      await stop?.();
    });

    it.each(DELIVERIES.map(d => [d.name, d] as const))(
      '%s',
      async (_name, delivery) => {
        const res = await delivery.send(server);
        const seen = answers.get(databaseId) ?? {};
        seen[delivery.name] = res.status;
        answers.set(databaseId, seen);
        expect({
          status: res.status,
          body: res.status >= 400 ? res.body : {},
        }).toMatchObject({ status: delivery.status });
        // A refusal says why.
        expect(res.status !== 400 || Boolean(res.body.error?.message)).toBe(
          true,
        );
      },
    );

    it('stored what was accepted, fitted to its columns', async () => {
      const rows = await dump(knex);
      dumps.set(databaseId, rows);
      const text = JSON.stringify(rows);
      expect(text).not.toContain('\\u0000');
      expect(rows.error_groups.length).toBeGreaterThan(0);
      expect(rows.change_events.length).toBeGreaterThan(0);
      expect(rows.incidents.length).toBeGreaterThan(0);
      expect(rows.metric_points.length).toBeGreaterThan(0);
      const pr = rows.change_events.find((c: any) => c.number === 5) as any;
      expect(pr.author).toHaveLength(255);
      expect(pr.title).toBe('Fix totals');
    });
  });

  it('answers and stores the same on both engines', () => {
    expect(answers.get('POSTGRES_15')).toEqual(answers.get('SQLITE_3'));
    expect(dumps.get('POSTGRES_15')).toBeDefined();
    expect(dumps.get('POSTGRES_15')).toEqual(dumps.get('SQLITE_3'));
  });
});
