import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import request from 'supertest';
import { mergeAnomaly } from '../agent/detect/mergeSignals';
import {
  createProductOsStores,
  ProductOsStores,
} from '../database/createProductOsStores';
import { catalogHiding } from '../__testUtils__/catalogHiding';
import {
  ProductOsTestBackend,
  startProductOsBackend,
} from '../__testUtils__/productOsBackend';

jest.setTimeout(60_000);

const T = Date.parse('2026-11-09T13:00:00Z');
const API = 'component:default/checkout-api';
const LEDGER = 'component:default/ledger';
const OUTSIDER = 'user:default/outsider';
const VIEWER = 'user:default/viewer';

const entities: Entity[] = ['checkout-api', 'ledger'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'sentry.io/project-slug': name },
  },
  spec: {
    type: 'service',
    owner: 'group:default/team-checkout',
    lifecycle: 'production',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-checkout' }],
}));

describe('diagnosis routes', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let server: any;
    let testBackend: ProductOsTestBackend;
    let stores: ProductOsStores;
    let anomalyId: number;
    let apiDiagnosis: number;
    let ledgerDiagnosis: number;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      const diagnose = async (entityRef: string) => {
        const { anomaly } = await stores.anomalies.recordAnomaly(
          {
            entityRef,
            kinds: ['incident'],
            onsetAt: T,
            detectedAt: T,
            magnitude: 1,
            score: 0.9,
            details: { signals: [], onsetUncertaintyMs: 0 },
          },
          { mergeWindowMs: 60_000, merge: mergeAnomaly },
        );
        const { diagnosis } = await stores.diagnoses.saveAgentDiagnosis({
          entityRef,
          anomalyId: anomaly.id,
          summary: 'Incident triggered. Not enough evidence to name a change.',
          confidence: 0.2,
          actionability: 'collecting',
          verdict: 'not_enough_evidence',
          reviewers: ['group:default/team-checkout'],
          createdAt: T,
          suspects: [],
          evidence: [],
        });
        return { anomaly, diagnosis };
      };
      const api = await diagnose(API);
      anomalyId = api.anomaly.id;
      apiDiagnosis = api.diagnosis.id;
      ledgerDiagnosis = (await diagnose(LEDGER)).diagnosis.id;
      testBackend = await startProductOsBackend({
        database: knex,
        // The outsider cannot see the ledger, as a catalog permission policy would hide it.
        catalog: catalogHiding(
          entities,
          (entityRef, user) => user === OUTSIDER && entityRef === LEDGER,
        ),
        // Everyone may read; the viewer may not update diagnoses.
        denies: (permission, user) =>
          permission === 'product-os.diagnosis.update' && user === VIEWER,
        // The agent is on, for the research route, but its schedule never fires on its own.
        productOs: { agent: {} },
        manualTasks: true,
      });
      server = testBackend.server;
    });

    afterAll(() => testBackend?.stop());

    const as = (user: string) => mockCredentials.user.header(user);

    it('reads a diagnosis, as absent as its entity to whoever cannot see that', async () => {
      const ok = await request(server)
        .get(`/api/product-os/diagnoses/${apiDiagnosis}`)
        .set('Authorization', as(VIEWER));
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        id: apiDiagnosis,
        entityRef: API,
        verdict: 'not_enough_evidence',
        status: 'open',
      });
      const hidden = await request(server)
        .get(`/api/product-os/diagnoses/${ledgerDiagnosis}`)
        .set('Authorization', as(OUTSIDER));
      expect(hidden.status).toBe(404);
      expect(
        (
          await request(server)
            .get('/api/product-os/diagnoses/987654')
            .set('Authorization', as(VIEWER))
        ).status,
      ).toBe(404);
      expect(
        (
          await request(server)
            .get('/api/product-os/diagnoses/abc')
            .set('Authorization', as(VIEWER))
        ).status,
      ).toBe(400);
    });

    it('changes the status with the permission, requires a reason to reject, and refuses what the lifecycle does not allow', async () => {
      const path = `/api/product-os/diagnoses/${apiDiagnosis}/status`;
      const denied = await request(server)
        .post(path)
        .set('Authorization', as(VIEWER))
        .send({ status: 'acknowledged' });
      expect(denied.status).toBe(403);
      const bad = await request(server)
        .post(path)
        .set('Authorization', as('user:default/dana'))
        .send({ status: 'done' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/status/);
      const noReason = await request(server)
        .post(path)
        .set('Authorization', as('user:default/dana'))
        .send({ status: 'rejected' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.message).toMatch(/reason/);

      const acknowledged = await request(server)
        .post(path)
        .set('Authorization', as('user:default/dana'))
        .send({ status: 'acknowledged' });
      expect(acknowledged.status).toBe(200);
      expect(acknowledged.body).toMatchObject({
        status: 'acknowledged',
        history: [
          { from: 'open', to: 'acknowledged', by: 'user:default/dana' },
        ],
      });
      const rejected = await request(server)
        .post(path)
        .set('Authorization', as('user:default/lee'))
        .send({ status: 'rejected', reason: 'A planned failover' });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        feedback: 'A planned failover',
        // A rejection is an outcome at once: refuted, with the reason and who gave it.
        outcome: {
          outcome: 'refuted',
          basis: 'rejected',
          reason: 'A planned failover',
          decidedBy: 'user:default/lee',
        },
      });
      const again = await request(server)
        .post(path)
        .set('Authorization', as('user:default/dana'))
        .send({ status: 'acknowledged' });
      expect(again.status).toBe(409);
      // Rejecting closed the anomaly.
      expect((await stores.anomalies.getAnomalyRecord(anomalyId))?.status).toBe(
        'closed',
      );

      const hidden = await request(server)
        .post(`/api/product-os/diagnoses/${ledgerDiagnosis}/status`)
        .set('Authorization', as(OUTSIDER))
        .send({ status: 'acknowledged' });
      expect(hidden.status).toBe(404);
    });

    it('researches an anomaly again into a new diagnosis', async () => {
      const path = `/api/product-os/anomalies/${anomalyId}/research`;
      expect(
        (await request(server).post(path).set('Authorization', as(VIEWER)))
          .status,
      ).toBe(403);
      const response = await request(server)
        .post(path)
        .set('Authorization', as('user:default/dana'));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        entityRef: API,
        anomalyId,
        status: 'open',
        verdict: 'not_enough_evidence',
      });
      expect(response.body.id).not.toBe(apiDiagnosis);
      expect(response.body.summary).toMatch(
        /Not enough evidence to name a change: no change of checkout-api went live in the 24 h before/,
      );
      expect(
        (
          await request(server)
            .post('/api/product-os/anomalies/987654/research')
            .set('Authorization', as('user:default/dana'))
        ).status,
      ).toBe(404);
    });
  });
});
