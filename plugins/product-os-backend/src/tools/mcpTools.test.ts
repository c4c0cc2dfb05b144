import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Knex } from 'knex';
import type { AddressInfo } from 'net';
import request from 'supertest';
import { catalogHiding } from '../__testUtils__/catalogHiding';
import { startProductOsBackend } from '../__testUtils__/productOsBackend';
import { createProductOsStores } from '../database/createProductOsStores';
import { DAY_MS, HOUR_MS } from '../time';

jest.setTimeout(120_000);

const NOW = Date.parse('2026-11-21T08:30:00.000Z');
const API = 'component:default/checkout-api';
const LEDGER = 'component:default/secret-ledger';
const READER = 'user:default/reader';
const OUTSIDER = 'user:default/outsider';
const NOBODY = 'user:default/nobody';
const TOOLS = [
  'product-os.get-entity-health',
  'product-os.get-error-trend',
  'product-os.list-recent-changes',
  'product-os.list-incidents',
  'product-os.list-diagnoses',
  'product-os.get-team-rollup',
];

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'sentry.io/project-slug': `acme/${name}` },
  },
  spec: { type: 'service', owner, lifecycle: 'production' },
});
const group = (name: string, children: string[] = []): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children },
});
/** payments has checkout-team below it; checkout-api belongs to the sub-team. */
const entities = [
  group('payments', ['checkout-team']),
  group('checkout-team'),
  component('checkout-api', 'group:default/checkout-team'),
  component('secret-ledger', 'group:default/payments'),
];

/** The catalog as each caller sees it: the outsider cannot see the secret ledger. */
const catalog = catalogHiding(
  entities,
  (entityRef, user) => user === OUTSIDER && entityRef === LEDGER,
);

const error = (
  entityRef: string,
  fingerprint: string,
  n: number,
  timestamp: number,
) => ({
  entityRef,
  source: 'sentry' as const,
  fingerprint,
  eventId: `${entityRef}-${fingerprint}-${n}`,
  title: `Error ${fingerprint}`,
  level: 'error',
  environment: 'production',
  topFrames: [],
  timestamp,
});

/**
 * checkout-api's last two weeks, hand-counted for the 7-day window ending with the hour after
 * NOW: one old group with 1 event in the week before and 3 in this one, a new group with 2 events;
 * a pull request deployed 4 hours ago, an incident open since 3 hours ago and a diagnosis that
 * waits for a person. The ledger has data of its own, which the outsider must never get.
 */
async function seed(knex: Knex) {
  const stores = await createProductOsStores({
    database: mockServices.database({ knex }),
  });
  const ago = (ms: number) => NOW - ms;
  await stores.ingest.ingest({ source: 'sentry', deliveryId: 'errors' }, w =>
    w.recordErrorEvents([
      error(API, 'cart-total', 0, ago(10 * DAY_MS)),
      error(API, 'cart-total', 1, ago(2 * DAY_MS)),
      error(API, 'cart-total', 2, ago(2 * DAY_MS - HOUR_MS)),
      error(API, 'cart-total', 3, ago(2 * DAY_MS - 2 * HOUR_MS)),
      error(API, 'gateway-timeout', 0, ago(DAY_MS)),
      error(API, 'gateway-timeout', 1, ago(DAY_MS - HOUR_MS)),
      error(LEDGER, 'ledger-drift', 0, ago(DAY_MS)),
    ]),
  );
  const sha = '9f2c1e7d5b3a48c0e6f1a2b3c4d5e6f708192a3b';
  await stores.ingest.ingest({ source: 'github', deliveryId: 'changes' }, w =>
    w.upsertChangeEvents([
      {
        entityRef: API,
        source: 'github',
        kind: 'pull_request',
        externalId: 'acme/checkout-api#512',
        title: 'Compute cart totals from line items',
        author: 'mona',
        sha,
        number: 512,
        status: 'merged',
        url: 'https://github.com/acme/checkout-api/pull/512',
        occurredAt: ago(5 * HOUR_MS),
        files: ['src/cart/total.ts'],
      },
      {
        entityRef: API,
        source: 'github',
        kind: 'deployment',
        externalId: 'deploy-1874',
        title: 'Deploy 9f2c1e7 to production',
        author: 'mona',
        sha,
        environment: 'production',
        status: 'success',
        occurredAt: ago(4 * HOUR_MS),
        finishedAt: ago(4 * HOUR_MS - 5 * 60_000),
        files: ['src/cart/total.ts'],
      },
      {
        entityRef: LEDGER,
        source: 'github',
        kind: 'deployment',
        externalId: 'ledger-deploy-9',
        title: 'Deploy the secret ledger',
        environment: 'production',
        status: 'success',
        occurredAt: ago(6 * HOUR_MS),
        files: [],
      },
    ]),
  );
  await stores.ingest.ingest({ source: 'pagerduty', deliveryId: 'pd' }, w =>
    w.upsertIncident({
      entityRef: API,
      source: 'pagerduty',
      externalId: 'Q2K7XG0JQZ4P8A',
      title: 'Checkout API error rate above 5%',
      urgency: 'high',
      status: 'triggered',
      createdAt: ago(3 * HOUR_MS),
      assignees: ['PXPGF42'],
    }),
  );
  const [deploy] = await stores.changes.getChangeEvents(API, {
    from: 0,
    to: NOW,
    kinds: ['deployment'],
  });
  await stores.diagnoses.createDiagnosis({
    entityRef: API,
    summary: 'Errors rose after deployment deploy-1874.',
    nextStep: 'Ask mona to look at the cart totals.',
    confidence: 0.7,
    actionability: 'actionable',
    reviewers: ['user:default/mona'],
    createdAt: ago(HOUR_MS),
    suspects: [
      { changeEventId: deploy.id, score: 0.8, confidence: 0.7, evidence: [] },
    ],
    evidence: [],
  });
}

describe('Product OS tools through the MCP actions backend', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: any;
    let baseUrl: string;
    let dateNow: jest.SpyInstance;
    const clients: Client[] = [];

    beforeAll(async () => {
      const knex: Knex = await databases.init(databaseId);
      await seed(knex);
      dateNow = jest.spyOn(Date, 'now').mockReturnValue(NOW);
      ({ server } = await startProductOsBackend({
        database: knex,
        features: [mcpActionsPlugin],
        config: { backend: { actions: { pluginSources: ['product-os'] } } },
        catalog,
        denies: (permission, user) =>
          user === NOBODY && permission === 'product-os.entity.read',
      }));
      const { port } = server.address() as AddressInfo;
      baseUrl = `http://localhost:${port}`;
    });

    afterAll(async () => {
      await Promise.all(clients.map(c => c.close()));
      dateNow.mockRestore();
    });

    /** A real MCP client over streamable HTTP, calling as `user`. */
    async function connect(user: string): Promise<Client> {
      const client = new Client({ name: 'product-os-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(
          new URL(`${baseUrl}/api/mcp-actions/v1`),
          {
            requestInit: {
              headers: { Authorization: mockCredentials.user.header(user) },
            },
          },
        ),
      );
      clients.push(client);
      return client;
    }

    const call = async (user: string, name: string, args: object) =>
      (await connect(user)).callTool({ name, arguments: args as any });

    it('lists the Product OS tools with their input schemas to a reader', async () => {
      const { tools } = await (await connect(READER)).listTools();
      const ours = tools.filter(t => t.name.startsWith('product-os.'));
      expect(ours.map(t => t.name).sort()).toEqual([...TOOLS].sort());
      const health = ours.find(t => t.name === 'product-os.get-entity-health')!;
      expect(health.inputSchema.required).toEqual(['entityRef']);
      expect(health.annotations).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
      });
      // The roll-up's output schema (the actions registry lists it; MCP's tools/list carries
      // inputs only) declares each service's week and when its figures are from.
      const listed = await request(server)
        .get('/api/product-os/.backstage/actions/v1/actions')
        .set('Authorization', mockCredentials.user.header(READER));
      expect(listed.status).toBe(200);
      const output = listed.body.actions.find(
        (a: any) => a.name === 'get-team-rollup',
      ).schema.output;
      expect(output.required).toContain('asOf');
      expect(output.properties.asOf.type).toBe('string');
      const member = output.properties.members.items;
      expect(member.required).toEqual(
        expect.arrayContaining([
          'deployments',
          'incidents',
          'openIncidents',
          'diagnosesNeedingHuman',
        ]),
      );
      expect(member.properties.deployments.type).toBe('number');
    });

    it('lists none of them to a caller without the read permission, and refuses the call', async () => {
      const { tools } = await (await connect(NOBODY)).listTools();
      expect(tools.filter(t => t.name.startsWith('product-os.'))).toEqual([]);
      const result = await call(NOBODY, 'product-os.get-entity-health', {
        entityRef: API,
      });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain('NotFoundError');
      expect(result.structuredContent).toBeUndefined();
    });

    it('answers the entity health from the stored data, as the leaders page scores it', async () => {
      const result = await call(READER, 'product-os.get-entity-health', {
        entityRef: 'checkout-api',
      });
      expect(result.isError).toBeFalsy();
      const health = result.structuredContent as any;
      expect(health).toMatchObject({
        entityRef: API,
        errors: {
          events: 5,
          previousEvents: 1,
          newGroups: 1,
          regressedGroups: 0,
        },
        openIncidents: 1,
        openDiagnoses: 1,
        diagnosesNeedingHuman: 1,
      });
      expect(health.dora.days).toBe(30);
      expect(health.dora.figures).toMatchObject({
        deployments: 1,
        deploymentDays: 1,
        failedDeployments: 1,
        changeFailureRate: 1,
      });
      const penalties = health.healthInputs.reduce(
        (sum: number, i: { penalty: number }) => sum + i.penalty,
        0,
      );
      expect(health.healthScore).toBe(Math.max(0, 100 - penalties));
      expect(health.healthScore).toBeLessThan(100);
      // The same score the leaders' page shows for the same window.
      const page = await request(server)
        .get('/api/product-os/health?window=7d')
        .set('Authorization', mockCredentials.user.header(READER));
      expect(page.status).toBe(200);
      expect(page.body.items.find((i: any) => i.entityRef === API).score).toBe(
        health.healthScore,
      );
      // What the MCP client is given as text is the same answer.
      expect(JSON.parse((result.content as any)[0].text)).toEqual(health);
    });

    it('answers the error trend with every hour of the window and the deployment in it', async () => {
      const result = await call(READER, 'product-os.get-error-trend', {
        entityRef: API,
        window: '7d',
      });
      const trend = result.structuredContent as any;
      expect(trend.bucket).toBe('hour');
      expect(trend.points).toHaveLength(7 * 24);
      expect(
        trend.points.reduce(
          (s: number, p: { value: number }) => s + p.value,
          0,
        ),
      ).toBe(5);
      expect(trend.deploys.map((d: any) => d.sha)).toEqual([
        '9f2c1e7d5b3a48c0e6f1a2b3c4d5e6f708192a3b',
      ]);
    });

    it('lists recent changes, filtered by kind', async () => {
      const all = await call(READER, 'product-os.list-recent-changes', {
        entityRef: API,
      });
      expect(
        (all.structuredContent as any).items.map((c: any) => c.kind).sort(),
      ).toEqual(['deployment', 'pull_request']);
      const prs = await call(READER, 'product-os.list-recent-changes', {
        entityRef: API,
        kinds: ['pull_request'],
      });
      expect((prs.structuredContent as any).items).toEqual([
        expect.objectContaining({
          kind: 'pull_request',
          number: 512,
          author: 'mona',
          title: 'Compute cart totals from line items',
          url: 'https://github.com/acme/checkout-api/pull/512',
        }),
      ]);
    });

    it('lists incidents and diagnoses with their stored fields', async () => {
      const incidents = await call(READER, 'product-os.list-incidents', {
        entityRef: API,
      });
      expect((incidents.structuredContent as any).items).toEqual([
        expect.objectContaining({
          source: 'pagerduty',
          title: 'Checkout API error rate above 5%',
          status: 'triggered',
          urgency: 'high',
          createdAt: new Date(NOW - 3 * HOUR_MS).toISOString(),
        }),
      ]);
      const diagnoses = await call(READER, 'product-os.list-diagnoses', {
        entityRef: API,
        statuses: ['open'],
      });
      const [diagnosis] = (diagnoses.structuredContent as any).items;
      expect(diagnosis).toMatchObject({
        status: 'open',
        actionability: 'actionable',
        summary: 'Errors rose after deployment deploy-1874.',
        nextStep: 'Ask mona to look at the cart totals.',
      });
      expect(diagnosis.suspects[0].change).toMatchObject({
        kind: 'deployment',
        entityRef: API,
      });
    });

    it('refuses an entity the caller cannot see in the catalog, as if it did not exist', async () => {
      for (const name of TOOLS.filter(
        t => t !== 'product-os.get-team-rollup',
      )) {
        const hidden = await call(OUTSIDER, name, { entityRef: LEDGER });
        expect(hidden.isError).toBe(true);
        expect(JSON.stringify(hidden.content)).toContain(
          `NotFoundError: No entity ${LEDGER}`,
        );
        expect(JSON.stringify(hidden.content)).not.toContain('ledger-drift');
        // Whoever may see it gets its data.
        const seen = await call(READER, name, { entityRef: LEDGER });
        expect(seen.isError).toBeFalsy();
      }
    });

    it('rolls up a team with the services of its sub-teams, as far as the caller may see them', async () => {
      const result = await call(READER, 'product-os.get-team-rollup', {
        groupRef: 'payments',
      });
      expect(result.isError).toBeFalsy();
      const rollup = result.structuredContent as any;
      expect(rollup.subjectRef).toBe('group:default/payments');
      expect(rollup.groups).toEqual([
        'group:default/checkout-team',
        'group:default/payments',
      ]);
      // checkout-api: 100 less 25 (open incident), 10 (diagnosis waiting for a person), 16
      // (errors 1 -> 5), 2 (volume), 3 (a new group), 15 (change failure rate 1, capped).
      // secret-ledger: 100 less 1 (volume) and 3 (a new group); its one error group began in the
      // window, so there is no baseline to charge a rise against. Worst first.
      expect(
        rollup.members.map((m: any) => [m.entityRef, m.score, m.rank]),
      ).toEqual([
        [API, 29, 1],
        [LEDGER, 96, 2],
      ]);
      // Each service's week: checkout-api's deploy-1874 and the incident opened 3 hours ago, still
      // open, with the diagnosis waiting for a person; the ledger's one deployment and nothing
      // open. The figures are of the request's time (no snapshot run has counted them).
      expect(
        rollup.members.map((m: any) => [
          m.entityRef,
          m.deployments,
          m.incidents,
          m.openIncidents,
          m.diagnosesNeedingHuman,
        ]),
      ).toEqual([
        [API, 1, 1, 1, 1],
        [LEDGER, 1, 0, 0, 0],
      ]);
      expect(rollup.asOf).toBe('2026-11-21T08:30:00.000Z');
      expect(rollup.score).toBe(62.5);
      expect(rollup).toMatchObject({
        openIncidents: 1,
        openDiagnoses: 1,
        diagnosesNeedingHuman: 1,
      });
      const [week] = rollup.dora.windows;
      expect(week).toMatchObject({
        days: 7,
        current: {
          deployments: 2,
          failedDeployments: 1,
          changeFailureRate: 0.5,
        },
      });

      const outsider = await call(OUTSIDER, 'product-os.get-team-rollup', {
        groupRef: 'group:default/payments',
      });
      const seen = outsider.structuredContent as any;
      expect(seen.members.map((m: any) => m.entityRef)).toEqual([API]);
      expect(seen.score).toBe(29);
      expect(JSON.stringify(outsider.content)).not.toContain('secret-ledger');

      const unknown = await call(READER, 'product-os.get-team-rollup', {
        groupRef: 'group:default/nobody-here',
      });
      expect(unknown.isError).toBe(true);
      expect(JSON.stringify(unknown.content)).toContain('NotFoundError');
    });

    it('rejects bad input with the reason', async () => {
      const result = await call(READER, 'product-os.get-error-trend', {
        entityRef: API,
        window: '1y',
      });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain('InputError');
    });
  });
});
