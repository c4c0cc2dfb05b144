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
import type { ChangeEvent, Incident } from '@internal/plugin-product-os-common';
import { hmacSha256Hex } from '@internal/plugin-product-os-node';
import { acknowledge, change, resolve, trigger } from '@pagerduty/pdjs';
import * as https from 'https';
import * as net from 'net';
import request from 'supertest';
import { gzipSync } from 'zlib';
import { incidentWebhook, noteWebhook } from './__fixtures__/webhooks';
import pagerDutyModule from './index';

jest.setTimeout(60_000);

const ROUTING_KEY = 'R0UT1NGK3Y0F7HECH3CK0U7S3RV1C3XX';
const WEBHOOK_SECRET = 'whsec-current-5c0e1f';
const RETIRED_SECRET = 'whsec-retired-77aa02';
const MINUTE = 60_000;

/** The catalog: `checkout` takes Events API and webhook traffic, `ledger` webhooks only. */
const entities: NonNullable<
  Parameters<typeof catalogServiceMock>[0]
>['entities'] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      namespace: 'default',
      annotations: {
        'pagerduty.com/service-id': 'PF9KMXH',
        'pagerduty.com/integration-key': ROUTING_KEY,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'ledger',
      namespace: 'default',
      annotations: { 'pagerduty.com/service-id': 'PLEDGER' },
    },
    spec: {
      type: 'service',
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
    pagerDutyModule,
    catalogServiceMock.factory({ entities }),
    mockServices.rootConfig.factory({
      data: {
        productOs: {
          sources: {
            pagerduty: {
              webhookSecrets: [WEBHOOK_SECRET],
              rateLimitPerMinute: options.rateLimitPerMinute ?? 10_000,
            },
          },
        },
      },
    }),
    ...(options.database ? [options.database] : []),
  ];
}

/** `X-PagerDuty-Signature` as PagerDuty computes it, one `v1=` signature per secret. */
function sign(body: Buffer | string, ...secrets: string[]): string {
  return secrets.map(secret => `v1=${hmacSha256Hex(secret, body)}`).join(',');
}

/**
 * pdjs always calls `https://<server>/v2/enqueue`. It forwards fetch options, so this agent
 * carries its requests over a plain TCP connection to the test backend: the requests pdjs builds
 * are sent unchanged, only without TLS.
 */
class PlainConnectionAgent extends https.Agent {
  createConnection(options: { host?: string | null; port?: number | null }) {
    return net.connect({
      host: options.host ?? '127.0.0.1',
      port: Number(options.port),
    });
  }
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'PagerDuty source on %s',
  databaseId => {
    let server: Parameters<typeof request>[0];
    let pdjsTransport: { server: string } & RequestInit;

    beforeAll(async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const backend = await startTestBackend({
        features: backendFeatures({
          database: mockServices.database.factory({ knex }),
        }),
      });
      server = backend.server;
      pdjsTransport = {
        server: `127.0.0.1:${backend.server.port()}/api/product-os/pagerduty`,
        ...({
          agent: new PlainConnectionAgent(),
          requestTimeout: 0,
        } as RequestInit),
      };
    });

    async function incidentsOf(name: string): Promise<Incident[]> {
      const res = await request(server)
        .get(
          `/api/product-os/entities/component/default/${name}/incidents?window=24h`,
        )
        .expect(200);
      return res.body.items;
    }

    function postWebhook(payload: object | string, signature?: string) {
      const body =
        typeof payload === 'string' ? payload : JSON.stringify(payload);
      return request(server)
        .post('/api/product-os/pagerduty/webhook')
        .set('Content-Type', 'application/json')
        .set('X-PagerDuty-Signature', signature ?? sign(body, WEBHOOK_SECRET))
        .send(body);
    }

    describe('Events API v2', () => {
      it('opens, acknowledges and resolves an incident sent with @pagerduty/pdjs', async () => {
        const triggered = await trigger({
          ...pdjsTransport,
          data: {
            routing_key: ROUTING_KEY,
            event_action: 'trigger',
            payload: {
              summary: 'Checkout p99 latency above 2s',
              source: 'checkout-api-7d9f',
              severity: 'critical',
              component: 'checkout-api',
            },
            links: [
              {
                href: 'https://grafana.example.com/d/checkout',
                text: 'Dashboard',
              },
            ],
          },
        });
        expect(triggered.status).toBe(202);
        expect(triggered.data).toEqual({
          status: 'success',
          message: 'Event processed',
          dedup_key: expect.stringMatching(/^[0-9a-f]{32}$/),
        });
        const dedupKey: string = triggered.data.dedup_key;

        const followUp = {
          routing_key: ROUTING_KEY,
          dedup_key: dedupKey,
        } as const;
        const acked = await acknowledge({
          ...pdjsTransport,
          data: { ...followUp, event_action: 'acknowledge' } as any,
        });
        expect(acked.status).toBe(202);
        expect(acked.data.dedup_key).toBe(dedupKey);
        // PagerDuty clients retry; the same acknowledge again changes nothing.
        await acknowledge({
          ...pdjsTransport,
          data: { ...followUp, event_action: 'acknowledge' } as any,
        });
        const resolved = await resolve({
          ...pdjsTransport,
          data: { ...followUp, event_action: 'resolve' } as any,
        });
        expect(resolved.status).toBe(202);

        const incidents = (await incidentsOf('checkout')).filter(
          incident =>
            incident.externalId === `events:${ROUTING_KEY}:${dedupKey}`,
        );
        expect(incidents).toHaveLength(1);
        const [incident] = incidents;
        expect(incident).toMatchObject({
          source: 'pagerduty',
          title: 'Checkout p99 latency above 2s',
          status: 'resolved',
          url: 'https://grafana.example.com/d/checkout',
        });
        expect(Date.parse(incident.acknowledgedAt!)).toBeLessThanOrEqual(
          Date.parse(incident.resolvedAt!),
        );
        expect(incident.timeline.map(entry => entry.type)).toEqual([
          'triggered',
          'acknowledged',
          'resolved',
        ]);
        expect(incident.timeline[0].message).toBe(
          'Triggered: Checkout p99 latency above 2s (critical, checkout-api-7d9f)',
        );
      });

      it('adds a repeated trigger to the open incident instead of opening another', async () => {
        const data = {
          routing_key: ROUTING_KEY,
          event_action: 'trigger' as const,
          dedup_key: 'disk-full/db-1',
          payload: {
            summary: 'Disk 95% full on db-1',
            source: 'db-1',
            severity: 'error' as const,
          },
        };
        await trigger({ ...pdjsTransport, data });
        await trigger({ ...pdjsTransport, data }); // resent unchanged: kept once
        await trigger({
          ...pdjsTransport,
          data: {
            ...data,
            payload: { ...data.payload, summary: 'Disk 99% full on db-1' },
          },
        });

        const [incident] = (await incidentsOf('checkout')).filter(i =>
          i.externalId.endsWith(':disk-full/db-1'),
        );
        expect(incident.status).toBe('triggered');
        expect(incident.title).toBe('Disk 95% full on db-1');
        expect(incident.timeline.map(entry => entry.message)).toEqual([
          'Triggered: Disk 95% full on db-1 (error, db-1)',
          'Triggered again: Disk 99% full on db-1 (error, db-1)',
        ]);
      });

      it('drops an acknowledge for a dedup key with no open incident, like PagerDuty', async () => {
        const res = await request(server)
          .post('/api/product-os/pagerduty/v2/enqueue')
          .send({
            routing_key: ROUTING_KEY,
            dedup_key: 'never-triggered',
            event_action: 'acknowledge',
          })
          .expect(202);
        expect(res.body.dedup_key).toBe('never-triggered');
        const incidents = await incidentsOf('checkout');
        expect(
          incidents.some(i => i.externalId.endsWith(':never-triggered')),
        ).toBe(false);
      });

      it('stores a change event sent with @pagerduty/pdjs once', async () => {
        const data = {
          routing_key: ROUTING_KEY,
          payload: {
            summary: 'Deploy checkout-api 2.14.0',
            timestamp: new Date(Date.now() - 5 * MINUTE).toISOString(),
            source: 'github-actions',
            custom_details: { sha: 'A1B2C3D4E5F6', environment: 'production' },
          },
          links: [
            {
              href: 'https://github.com/acme/checkout/actions/runs/42',
              text: 'Run',
            },
          ],
        };
        const sent = await change({ ...pdjsTransport, data: data as any });
        expect(sent.status).toBe(202);
        await change({ ...pdjsTransport, data: data as any });

        const res = await request(server)
          .get(
            '/api/product-os/entities/component/default/checkout/changes?window=24h&kind=change',
          )
          .expect(200);
        const changes: ChangeEvent[] = res.body.items;
        expect(changes).toHaveLength(1);
        expect(changes[0]).toMatchObject({
          source: 'pagerduty',
          kind: 'change',
          title: 'Deploy checkout-api 2.14.0',
          sha: 'a1b2c3d4e5f6',
          environment: 'production',
          url: 'https://github.com/acme/checkout/actions/runs/42',
          occurredAt: data.payload.timestamp,
        });
      });

      it('answers an invalid event with 400 and the reasons, and stores nothing', async () => {
        const res = await request(server)
          .post('/api/product-os/pagerduty/v2/enqueue')
          .send({
            routing_key: ROUTING_KEY,
            event_action: 'trigger',
            dedup_key: 'invalid-one',
            payload: { summary: 'No severity', source: 'x' },
          })
          .expect(400);
        expect(res.body).toEqual({
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: [
            "'payload.severity' must be one of critical, error, warning, info",
          ],
        });

        const notJson = await request(server)
          .post('/api/product-os/pagerduty/v2/enqueue')
          .set('Content-Type', 'application/json')
          .send('{"routing_key": ')
          .expect(400);
        expect(notJson.body.status).toBe('invalid event');

        const noKey = await request(server)
          .post('/api/product-os/pagerduty/v2/enqueue')
          .send({ event_action: 'resolve' })
          .expect(400);
        expect(noKey.body.errors).toEqual([
          "'routing_key' is missing or blank",
          "'dedup_key' is required for event_action 'resolve'",
        ]);
        expect(
          (await incidentsOf('checkout')).some(i =>
            i.externalId.endsWith('invalid-one'),
          ),
        ).toBe(false);
      });

      it('accepts an event for an unknown routing key and counts it as unmapped', async () => {
        await request(server)
          .post('/api/product-os/pagerduty/v2/enqueue')
          .send({
            routing_key: 'UNKNOWNKEY000000000000000000000X',
            event_action: 'trigger',
            payload: {
              summary: 'Somebody else’s problem',
              source: 'elsewhere',
              severity: 'info',
            },
          })
          .expect(202);
        const res = await request(server)
          .get('/api/product-os/admin/unmapped')
          .expect(200);
        expect(res.body.items).toContainEqual(
          expect.objectContaining({
            source: 'pagerduty',
            key: 'routing-key:UNKNOWNKEY000000000000000000000X',
            count: 1,
          }),
        );
      });

      it('refuses a body over the size limit with 413', async () => {
        const res = await request(server)
          .post('/api/product-os/pagerduty/v2/enqueue')
          .set('Content-Type', 'application/json')
          .send(
            JSON.stringify({
              routing_key: ROUTING_KEY,
              event_action: 'trigger',
              payload: {
                summary: 'x',
                source: 'x',
                severity: 'info',
                custom_details: { blob: 'a'.repeat(600 * 1024) },
              },
            }),
          )
          .expect(413);
        expect(res.body.error.name).toBe('PayloadTooLargeError');
      });
    });

    describe('V3 webhooks', () => {
      const now = Date.now();

      it('keeps an incident and its timeline from signed webhooks', async () => {
        const createdAt = now - 30 * MINUTE;
        const base = { incidentId: 'PGR0VU2', serviceId: 'PF9KMXH', createdAt };
        const deliveries = [
          incidentWebhook({
            ...base,
            eventId: 'evt-1',
            eventType: 'incident.triggered',
            occurredAt: createdAt,
            status: 'triggered',
            priority: null,
          }),
          incidentWebhook({
            ...base,
            eventId: 'evt-2',
            eventType: 'incident.acknowledged',
            occurredAt: now - 25 * MINUTE,
            status: 'acknowledged',
            priority: null,
          }),
          noteWebhook({
            eventId: 'evt-3',
            occurredAt: now - 20 * MINUTE,
            incidentId: 'PGR0VU2',
            content: 'Rolling back 2.14.0',
          }),
          incidentWebhook({
            ...base,
            eventId: 'evt-4',
            eventType: 'incident.priority_updated',
            occurredAt: now - 15 * MINUTE,
            status: 'acknowledged',
            priority: 'P1',
          }),
          incidentWebhook({
            ...base,
            eventId: 'evt-5',
            eventType: 'incident.reassigned',
            occurredAt: now - 12 * MINUTE,
            status: 'acknowledged',
            assignees: [['PAM4FGS', 'Alex Doe']],
          }),
          incidentWebhook({
            ...base,
            eventId: 'evt-6',
            eventType: 'incident.resolved',
            occurredAt: now - 10 * MINUTE,
            status: 'resolved',
            assignees: [['PAM4FGS', 'Alex Doe']],
          }),
        ];
        for (const payload of deliveries) {
          const res = await postWebhook(payload).expect(202);
          expect(res.body).toEqual({ status: 'stored' });
        }

        const [incident] = await incidentsOf('checkout').then(list =>
          list.filter(i => i.externalId === 'PGR0VU2'),
        );
        expect(incident).toMatchObject({
          source: 'pagerduty',
          title: 'A little bump in the road',
          urgency: 'high',
          priority: 'P1',
          status: 'resolved',
          createdAt: new Date(createdAt).toISOString(),
          acknowledgedAt: new Date(now - 25 * MINUTE).toISOString(),
          resolvedAt: new Date(now - 10 * MINUTE).toISOString(),
          assignees: ['Alex Doe'],
          url: 'https://acme.pagerduty.com/incidents/PGR0VU2',
        });
        expect(incident.timeline).toEqual([
          {
            type: 'triggered',
            message: 'Triggered: A little bump in the road',
            actor: 'Tenex Engineer',
            occurredAt: new Date(createdAt).toISOString(),
          },
          {
            type: 'acknowledged',
            message: 'Acknowledged',
            actor: 'Tenex Engineer',
            occurredAt: new Date(now - 25 * MINUTE).toISOString(),
          },
          {
            type: 'annotated',
            message: 'Note: Rolling back 2.14.0',
            actor: 'Tenex Engineer',
            occurredAt: new Date(now - 20 * MINUTE).toISOString(),
          },
          {
            type: 'priority_updated',
            message: 'Priority changed to P1',
            actor: 'Tenex Engineer',
            occurredAt: new Date(now - 15 * MINUTE).toISOString(),
          },
          {
            type: 'reassigned',
            message: 'Reassigned to Alex Doe',
            actor: 'Tenex Engineer',
            occurredAt: new Date(now - 12 * MINUTE).toISOString(),
          },
          {
            type: 'resolved',
            message: 'Resolved',
            actor: 'Tenex Engineer',
            occurredAt: new Date(now - 10 * MINUTE).toISOString(),
          },
        ]);
      });

      it('accepts any valid signature of several during a secret rotation', async () => {
        const body = JSON.stringify(
          incidentWebhook({
            eventId: 'evt-rot-1',
            eventType: 'incident.triggered',
            occurredAt: now - MINUTE,
            incidentId: 'PROTATE',
            serviceId: 'PLEDGER',
            status: 'triggered',
            createdAt: now - MINUTE,
          }),
        );
        // The subscription signs with both secrets while it rotates; only the new one is configured.
        await postWebhook(
          body,
          sign(body, RETIRED_SECRET, WEBHOOK_SECRET),
        ).expect(202);
        expect((await incidentsOf('ledger')).map(i => i.externalId)).toContain(
          'PROTATE',
        );
      });

      it('refuses a wrong or missing signature with 401 and stores nothing', async () => {
        const body = JSON.stringify(
          incidentWebhook({
            eventId: 'evt-forged',
            eventType: 'incident.triggered',
            occurredAt: now - MINUTE,
            incidentId: 'PFORGED',
            serviceId: 'PLEDGER',
            status: 'triggered',
            createdAt: now - MINUTE,
          }),
        );
        await postWebhook(body, sign(body, RETIRED_SECRET)).expect(401);
        await postWebhook(body, sign(`${body} `, WEBHOOK_SECRET)).expect(401);
        await postWebhook(
          body,
          `v0=${hmacSha256Hex(WEBHOOK_SECRET, body)}`,
        ).expect(401);
        await request(server)
          .post('/api/product-os/pagerduty/webhook')
          .set('Content-Type', 'application/json')
          .send(body)
          .expect(401);
        expect(
          (await incidentsOf('ledger')).map(i => i.externalId),
        ).not.toContain('PFORGED');
      });

      it('answers a signed body that is not JSON, or not a webhook, with 400', async () => {
        const res = await postWebhook('{"event": {').expect(400);
        expect(res.body.error.message).toMatch(/not valid JSON/);
        await postWebhook({ messages: [] }).expect(400);
      });

      it('reads a body large enough for a worker thread as it reads a small one', async () => {
        // 1,500 assignees: some 200 KiB, over the size the host parses on the event loop.
        const assignees = Array.from(
          { length: 1_500 },
          (_, i): [string, string] => [`PW${i}`, `Responder ${i}`],
        );
        const payload = incidentWebhook({
          eventId: 'evt-large',
          eventType: 'incident.triggered',
          incidentId: 'PLARGE1',
          serviceId: 'PF9KMXH',
          occurredAt: Date.now(),
          createdAt: Date.now(),
          status: 'triggered',
          assignees,
        });
        expect(JSON.stringify(payload).length).toBeGreaterThan(128 * 1024);
        expect((await postWebhook(payload).expect(202)).body).toEqual({
          status: 'stored',
        });
        const [incident] = (await incidentsOf('checkout')).filter(
          i => i.externalId === 'PLARGE1',
        );
        expect(incident.assignees).toHaveLength(1_500);
        expect(incident.assignees?.[1_499]).toBe('Responder 1499');

        const pad = 'x'.repeat(200_000);
        const notJson = await postWebhook(`{"event": {"id": "${pad}`).expect(
          400,
        );
        expect(notJson.body.error.message).toMatch(/not valid JSON/);
        const invalidEvent = await request(server)
          .post('/api/product-os/pagerduty/v2/enqueue')
          .send({
            routing_key: ROUTING_KEY,
            event_action: 'trigger',
            payload: { summary: 'Large', source: pad },
          })
          .expect(400);
        expect(invalidEvent.body).toEqual({
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: [
            "'payload.severity' must be one of critical, error, warning, info",
          ],
        });
        const eventNotJson = await request(server)
          .post('/api/product-os/pagerduty/v2/enqueue')
          .set('Content-Type', 'application/json')
          .send(`{"routing_key": "${pad}`)
          .expect(400);
        expect(eventNotJson.body.errors[0]).toMatch(
          /^Request body is not valid JSON: /,
        );
      });

      it('stores a redelivered event once', async () => {
        const payload = incidentWebhook({
          eventId: 'evt-redeliver',
          eventType: 'incident.triggered',
          occurredAt: now - 2 * MINUTE,
          incidentId: 'PREDELI',
          serviceId: 'PLEDGER',
          status: 'triggered',
          createdAt: now - 2 * MINUTE,
        });
        await postWebhook(payload).expect(202, { status: 'stored' });
        await postWebhook(payload).expect(202, { status: 'duplicate' });
        const [incident] = (await incidentsOf('ledger')).filter(
          i => i.externalId === 'PREDELI',
        );
        expect(incident.timeline).toHaveLength(1);
      });

      it('keeps the later state when an older event arrives late', async () => {
        const base = {
          incidentId: 'PLATE01',
          serviceId: 'PLEDGER',
          createdAt: now - 9 * MINUTE,
        };
        await postWebhook(
          incidentWebhook({
            ...base,
            eventId: 'evt-late-1',
            eventType: 'incident.resolved',
            occurredAt: now - 3 * MINUTE,
            status: 'resolved',
          }),
        ).expect(202);
        await postWebhook(
          incidentWebhook({
            ...base,
            eventId: 'evt-late-2',
            eventType: 'incident.acknowledged',
            occurredAt: now - 6 * MINUTE,
            status: 'acknowledged',
          }),
        ).expect(202);
        const [incident] = (await incidentsOf('ledger')).filter(
          i => i.externalId === 'PLATE01',
        );
        expect(incident.status).toBe('resolved');
        expect(incident.timeline.map(entry => entry.type)).toEqual([
          'acknowledged',
          'resolved',
        ]);
      });

      it('accepts a webhook for a service no entity claims and counts it', async () => {
        const payload = incidentWebhook({
          eventId: 'evt-unmapped',
          eventType: 'incident.triggered',
          occurredAt: now,
          incidentId: 'PNOBODY',
          serviceId: 'PUNKNWN',
          status: 'triggered',
          createdAt: now,
        });
        await postWebhook(payload).expect(202, { status: 'unmapped' });
        const res = await request(server)
          .get('/api/product-os/admin/unmapped')
          .expect(200);
        expect(res.body.items).toContainEqual(
          expect.objectContaining({
            source: 'pagerduty',
            key: 'service:PUNKNWN',
            count: 1,
          }),
        );
      });

      it('refuses an oversized body, compressed or not, with 413', async () => {
        const big = JSON.stringify({
          event: { id: 'big', padding: 'x'.repeat(600 * 1024) },
        });
        const plain = await postWebhook(big).expect(413);
        expect(plain.body.error.message).toMatch(/larger than 524288 bytes/);
        const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, ' '));
        // 8 MiB of JSON whitespace in 8 KiB of gzip. (No JSON content type: supertest would
        // serialize the Buffer instead of sending its bytes.)
        const inflated = await request(server)
          .post('/api/product-os/pagerduty/webhook')
          .set('Content-Type', 'application/octet-stream')
          .set('Content-Encoding', 'gzip')
          .set('X-PagerDuty-Signature', sign(bomb, WEBHOOK_SECRET))
          .send(bomb)
          .expect(413);
        expect(inflated.body.error.message).toMatch(
          /decompresses to more than/,
        );
      });

      it('refuses a gzip webhook that inflates past 512 KiB, which one JSON.parse would have to read at once, with 413', async () => {
        // 1 MiB of real assignees in some 30 KiB of gzip: far over anything PagerDuty sends.
        const assignees = Array.from({ length: 10_000 }, (_, i) => ({
          id: `P${String(i).padStart(6, '0')}`,
          type: 'user_reference',
          summary: `User ${i}`,
        }));
        const text = JSON.stringify({
          event: {
            id: 'assigned',
            event_type: 'incident.triggered',
            data: { id: 'Q1BIG', type: 'incident', assignees },
          },
        });
        const body = gzipSync(text);
        expect(body.length).toBeLessThan(512 * 1024);
        const res = await request(server)
          .post('/api/product-os/pagerduty/webhook')
          .set('Content-Type', 'application/octet-stream')
          .set('Content-Encoding', 'gzip')
          // Signed as PagerDuty signs: the JSON, not its gzip.
          .set('X-PagerDuty-Signature', sign(text, WEBHOOK_SECRET))
          .send(body)
          .expect(413);
        expect(res.body.error.message).toMatch(
          /decompresses to more than 524288 bytes/,
        );
      });
    });
  },
);

describe('PagerDuty source rate limit', () => {
  it('answers 429 with Retry-After once a routing key goes over its rate', async () => {
    const backend = await startTestBackend({
      features: backendFeatures({ rateLimitPerMinute: 2 }),
    });
    const send = (routingKey: string) =>
      request(backend.server)
        .post('/api/product-os/pagerduty/v2/enqueue')
        .send({
          routing_key: routingKey,
          dedup_key: 'k',
          event_action: 'resolve',
        });
    await send(ROUTING_KEY).expect(202);
    await send(ROUTING_KEY).expect(202);
    const limited = await send(ROUTING_KEY).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Other keys have their own rate.
    await send('ANOTHERKEY0000000000000000000000').expect(202);
  });
});
