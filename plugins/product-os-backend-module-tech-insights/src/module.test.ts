import type { SchedulerService } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import techInsightsPlugin from '@backstage-community/plugin-tech-insights-backend';
import jsonRulesEngineModule from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import { createProductOsStores } from '@internal/plugin-product-os-backend';
// The Product OS backend's own test kit, so that this test starts it as its route tests do; it
// is not part of the backend's published API.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { startProductOsBackend } from '@internal/plugin-product-os-backend/src/__testUtils__/productOsBackend';
import { Knex } from 'knex';
import request from 'supertest';
import techInsightsModuleProductOs from '.';
import { PRODUCT_OS_FACT_RETRIEVER_ID } from './productOsFactRetriever';

jest.setTimeout(120_000);

const NOW = Date.parse('2026-11-21T08:30:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const API = 'component:default/checkout-api';
const QUIET = 'component:default/quiet-api';
const USER = mockCredentials.user.header('user:default/lead');

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'sentry.io/project-slug': `acme/${name}` },
  },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
});

/** The example checks of app-config.yaml. */
const CHECKS = {
  productOsHealthy: {
    type: 'json-rules-engine',
    name: 'Product OS health at least 60',
    description: 'The Product OS health score of the last 7 days is 60 or more',
    factIds: [PRODUCT_OS_FACT_RETRIEVER_ID],
    rule: {
      conditions: {
        all: [
          { fact: 'healthScore', operator: 'greaterThanInclusive', value: 60 },
        ],
      },
    },
  },
  productOsNoOpenDiagnoses: {
    type: 'json-rules-engine',
    name: 'No open Product OS diagnoses',
    description: 'No diagnosis of the monitoring agent is open',
    factIds: [PRODUCT_OS_FACT_RETRIEVER_ID],
    rule: {
      conditions: {
        all: [{ fact: 'openDiagnoses', operator: 'equal', value: 0 }],
      },
    },
  },
};

const error = (fingerprint: string, n: number, timestamp: number) => ({
  entityRef: API,
  source: 'sentry' as const,
  fingerprint,
  eventId: `${fingerprint}-${n}`,
  title: `Error ${fingerprint}`,
  level: 'error',
  topFrames: [],
  timestamp,
});

/**
 * checkout-api's last two weeks, as in the tools' test: 1 error event in the week before the
 * window and 5 in it (3 of an old group, 2 of a new one), a production deployment 4 hours ago, an
 * incident open since 3 hours ago and a diagnosis waiting for a person. quiet-api has nothing.
 */
async function seed(knex: Knex) {
  const stores = await createProductOsStores({
    database: mockServices.database({ knex }),
  });
  const ago = (ms: number) => NOW - ms;
  await stores.ingest.ingest({ source: 'sentry', deliveryId: 'errors' }, w =>
    w.recordErrorEvents([
      error('cart-total', 0, ago(10 * DAY)),
      error('cart-total', 1, ago(2 * DAY)),
      error('cart-total', 2, ago(2 * DAY - HOUR)),
      error('cart-total', 3, ago(2 * DAY - 2 * HOUR)),
      error('gateway-timeout', 0, ago(DAY)),
      error('gateway-timeout', 1, ago(DAY - HOUR)),
    ]),
  );
  await stores.ingest.ingest({ source: 'github', deliveryId: 'deploy' }, w =>
    w.upsertChangeEvents([
      {
        entityRef: API,
        source: 'github',
        kind: 'deployment',
        externalId: 'deploy-1874',
        title: 'Deploy 9f2c1e7 to production',
        sha: '9f2c1e7d5b3a48c0e6f1a2b3c4d5e6f708192a3b',
        environment: 'production',
        status: 'success',
        occurredAt: ago(4 * HOUR),
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
      status: 'triggered',
      createdAt: ago(3 * HOUR),
      assignees: [],
    }),
  );
  await stores.diagnoses.createDiagnosis({
    entityRef: API,
    summary: 'Errors rose after deployment deploy-1874.',
    confidence: 0.7,
    actionability: 'actionable',
    reviewers: [],
    createdAt: ago(HOUR),
    suspects: [],
    evidence: [],
  });
}

describe('the Product OS fact retriever in the Tech Insights backend', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: any;
    let scheduler: SchedulerService;
    let dateNow: jest.SpyInstance;

    beforeAll(async () => {
      // Each plugin its own database, as in a real backend.
      const knexes = {
        'product-os': await databases.init(databaseId),
        'tech-insights': await databases.init(databaseId),
      } as Record<string, Knex>;
      await seed(knexes['product-os']);
      dateNow = jest.spyOn(Date, 'now').mockReturnValue(NOW);
      ({ server, scheduler } = await startProductOsBackend({
        database: knexes,
        features: [
          techInsightsPlugin,
          jsonRulesEngineModule,
          techInsightsModuleProductOs,
        ],
        catalog: [component('checkout-api'), component('quiet-api')],
        config: {
          techInsights: {
            factRetrievers: {
              [PRODUCT_OS_FACT_RETRIEVER_ID]: {
                cadence: '0 * * * *',
                lifecycle: { maxItems: 30 },
              },
            },
            factChecker: { checks: CHECKS },
          },
        },
        manualTasks: true,
      }));
      // The retriever runs as its schedule would run it.
      await scheduler.triggerTask(PRODUCT_OS_FACT_RETRIEVER_ID);
    });

    afterAll(() => dateNow.mockRestore());

    const latest = (entityRef: string) =>
      request(server)
        .get('/api/tech-insights/facts/latest')
        .query({ entity: entityRef, 'ids[]': PRODUCT_OS_FACT_RETRIEVER_ID })
        .set('Authorization', USER);

    it('stores the Product OS figures of each tracked entity as facts', async () => {
      const res = await latest(API);
      expect(res.status).toBe(200);
      const stored = res.body[PRODUCT_OS_FACT_RETRIEVER_ID];
      expect(stored.entity).toEqual({
        kind: 'component',
        namespace: 'default',
        name: 'checkout-api',
      });
      expect(stored.facts).toEqual({
        // 100 less 25 (an open incident), 10 (a diagnosis waiting for a person), 16 (errors
        // 1 -> 5: 10 * log2(6 / 2)), 2 (volume: 2.5 * log10(6)), 3 (a new group) and 15 (change
        // failure rate 1, at most 15).
        healthScore: 29,
        openDiagnoses: 1,
        diagnosesNeedingHuman: 1,
        errorEvents7d: 5,
        errorEventsPrevious7d: 1,
        errorTrendPercent: 400,
        newErrorGroups7d: 1,
        regressedErrorGroups7d: 0,
        openIncidents: 1,
        // One deployment day in 30 days: 1 / (30 / 7) a week; the incident after it fails it.
        doraDeploymentFrequency: 0.23,
        doraChangeFailureRate: 1,
        doraBand: 'low',
      });
      // The same score the leaders' page shows.
      const page = await request(server)
        .get('/api/product-os/health?window=7d')
        .set('Authorization', USER);
      expect(
        page.body.items.find((i: { entityRef: string }) => i.entityRef === API)
          .score,
      ).toBe(29);
    });

    it('leaves out what was not measured rather than storing zeros', async () => {
      const res = await latest(QUIET);
      const { facts } = res.body[PRODUCT_OS_FACT_RETRIEVER_ID];
      expect(facts).toEqual({
        healthScore: 100,
        openDiagnoses: 0,
        diagnosesNeedingHuman: 0,
        errorEvents7d: 0,
        errorEventsPrevious7d: 0,
        newErrorGroups7d: 0,
        regressedErrorGroups7d: 0,
        openIncidents: 0,
        doraDeploymentFrequency: 0,
      });
    });

    it('runs the example checks of the app config on the facts', async () => {
      const run = (name: string) =>
        request(server)
          .post(`/api/tech-insights/checks/run/default/component/${name}`)
          .set('Authorization', USER)
          .send({ checks: Object.keys(CHECKS) });
      const verdicts = async (name: string) => {
        const res = await run(name);
        expect(res.status).toBe(200);
        return Object.fromEntries(
          res.body.map((r: { check: { id: string }; result: boolean }) => [
            r.check.id,
            r.result,
          ]),
        );
      };
      expect(await verdicts('checkout-api')).toEqual({
        productOsHealthy: false,
        productOsNoOpenDiagnoses: false,
      });
      expect(await verdicts('quiet-api')).toEqual({
        productOsHealthy: true,
        productOsNoOpenDiagnoses: true,
      });
    });

    it('publishes the facts’ schema', async () => {
      const res = await request(server)
        .get('/api/tech-insights/fact-schemas')
        .query({ 'ids[]': PRODUCT_OS_FACT_RETRIEVER_ID })
        .set('Authorization', USER);
      expect(res.status).toBe(200);
      const [schema] = res.body;
      expect(schema.id).toBe(PRODUCT_OS_FACT_RETRIEVER_ID);
      expect(schema.healthScore.type).toBe('integer');
      expect(schema.doraChangeFailureRate.type).toBe('float');
    });
  });
});
