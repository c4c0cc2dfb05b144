import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  at,
  CART_TOTAL,
  deployment,
  ENTITY,
  isoAt,
  OTHER_ENTITY,
  pullRequest,
  seedAnomaly,
  storeTestDatabases,
  testStores,
} from '../__testUtils__/storeFixtures';
import {
  anomalyAt,
  API,
  HOUR,
  merge,
  seedAgentHistory,
  T,
} from '../__testUtils__/agentHistory';
import type { ProductOsStores } from '../createProductOsStores';
import type { DiagnosisInput } from './DiagnosisStore';

jest.setTimeout(60_000);

describe('DatabaseDiagnosisStore', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    beforeEach(async () => {
      stores = await testStores(knex, { sampleSize: 3 });
      await emptyDatabase(knex);
    });

    describe('anomalies and diagnoses', () => {
      async function seedChanges() {
        await stores.ingest.ingest({ source: 'github' }, writer =>
          writer.upsertChangeEvents([
            deployment({ status: 'success' }),
            pullRequest(),
          ]),
        );
        const changes = await stores.changes.getChangeEvents(ENTITY, {
          from: at(0),
          to: at(24),
        });
        const byKind = Object.fromEntries(changes.map(c => [c.kind, c]));
        return { deploy: byKind.deployment, pr: byKind.pull_request };
      }

      function diagnosisInput(
        overrides: Partial<DiagnosisInput> = {},
      ): DiagnosisInput {
        return {
          entityRef: ENTITY,
          summary: 'The cart-total TypeError started with deployment 9f2c1e7.',
          confidence: 0.82,
          actionability: 'actionable',
          nextStep:
            'Roll back 9f2c1e7 or guard against missing line-item amounts.',
          reviewers: ['user:default/mona'],
          createdAt: at(14, 40),
          suspects: [],
          evidence: [],
          ...overrides,
        };
      }

      it('creates, lists and closes anomalies', async () => {
        const spike = await seedAnomaly(stores.anomalies, {
          entityRef: ENTITY,
          kinds: ['error_spike', 'new_error_group'],
          onsetAt: at(14, 10),
          detectedAt: at(14, 30),
          magnitude: 14.2,
          score: 0.9371,
          details: { groups: [CART_TOTAL] },
        });
        expect(spike).toEqual({
          id: expect.any(Number),
          entityRef: ENTITY,
          kinds: ['error_spike', 'new_error_group'],
          onsetAt: isoAt(14, 10),
          detectedAt: isoAt(14, 30),
          magnitude: 14.2,
          score: 0.9371,
          status: 'open',
        });
        const drop = await seedAnomaly(stores.anomalies, {
          entityRef: ENTITY,
          kinds: ['metric_drop'],
          onsetAt: at(16),
          detectedAt: at(17),
          magnitude: -0.4,
          score: 0.61,
        });
        await seedAnomaly(stores.anomalies, {
          entityRef: ENTITY,
          kinds: ['incident'],
          onsetAt: at(-5),
          detectedAt: at(-5),
          magnitude: 1,
          score: 0.5,
        });
        await seedAnomaly(stores.anomalies, {
          entityRef: OTHER_ENTITY,
          kinds: ['error_spike'],
          onsetAt: at(15),
          detectedAt: at(15),
          magnitude: 3,
          score: 0.4,
        });

        await stores.anomalies.closeAnomaly(spike.id);
        const anomalies = await stores.anomalies.getAnomalies(ENTITY, {
          from: at(0),
          to: at(24),
        });
        expect(anomalies.map(a => [a.id, a.status, a.magnitude])).toEqual([
          [drop.id, 'open', -0.4],
          [spike.id, 'closed', 14.2],
        ]);
      });

      it('stores a diagnosis with ranked suspects and their evidence', async () => {
        const { deploy, pr } = await seedChanges();
        const anomaly = await seedAnomaly(stores.anomalies, {
          entityRef: ENTITY,
          kinds: ['error_spike'],
          onsetAt: at(14, 10),
          detectedAt: at(14, 30),
          magnitude: 14.2,
          score: 0.93,
        });

        const diagnosis = await stores.diagnoses.createDiagnosis(
          diagnosisInput({
            anomalyId: anomaly.id,
            suspects: [
              {
                changeEventId: deploy.id,
                score: 0.82,
                confidence: 0.77,
                evidence: [
                  {
                    kind: 'timing',
                    description: 'Deployed 8 minutes before the errors began',
                    weight: 0.4,
                  },
                  {
                    kind: 'stack_overlap',
                    description:
                      'src/cart/total.ts is in the stack and in the diff',
                    weight: 0.55,
                    url: 'https://github.com/acme/checkout-api/commit/9f2c1e7',
                  },
                ],
              },
              {
                changeEventId: pr.id,
                score: 0.41,
                confidence: 0.3,
                evidence: [
                  {
                    kind: 'timing',
                    description: 'Merged 30 minutes before',
                    weight: 0.2,
                  },
                ],
              },
            ],
            evidence: [
              {
                kind: 'error_spike',
                description: 'TypeError rose from 2 to 28 events per hour',
                weight: 0.7,
                url: 'https://acme.sentry.io/issues/4511234/',
              },
            ],
          }),
        );

        expect(diagnosis).toMatchObject({
          id: expect.any(Number),
          entityRef: ENTITY,
          anomalyId: anomaly.id,
          summary: 'The cart-total TypeError started with deployment 9f2c1e7.',
          confidence: 0.82,
          status: 'open',
          actionability: 'actionable',
          nextStep:
            'Roll back 9f2c1e7 or guard against missing line-item amounts.',
          reviewers: ['user:default/mona'],
          createdAt: isoAt(14, 40),
          updatedAt: isoAt(14, 40),
        });
        expect(diagnosis.evidence).toEqual([
          expect.objectContaining({
            suspectId: undefined,
            kind: 'error_spike',
            description: 'TypeError rose from 2 to 28 events per hour',
            weight: 0.7,
            url: 'https://acme.sentry.io/issues/4511234/',
          }),
        ]);
        expect(
          diagnosis.suspects.map(s => [
            s.rank,
            s.change.externalId,
            s.score,
            s.confidence,
          ]),
        ).toEqual([
          [1, '1874523901', 0.82, 0.77],
          [2, 'acme/checkout-api#512', 0.41, 0.3],
        ]);
        const [first, second] = diagnosis.suspects;
        expect(first.change).toEqual(deploy);
        // Heaviest evidence first, each on its own suspect.
        expect(
          first.evidence.map(e => [e.suspectId, e.kind, e.weight]),
        ).toEqual([
          [first.id, 'stack_overlap', 0.55],
          [first.id, 'timing', 0.4],
        ]);
        expect(second.evidence.map(e => [e.suspectId, e.description])).toEqual([
          [second.id, 'Merged 30 minutes before'],
        ]);

        expect(await stores.diagnoses.getDiagnosis(diagnosis.id)).toEqual(
          diagnosis,
        );
        expect(
          await stores.diagnoses.getDiagnosis(diagnosis.id + 1000),
        ).toBeUndefined();
      });

      it('lists diagnoses by entity, status and actionability, newest first', async () => {
        const a = await stores.diagnoses.createDiagnosis(
          diagnosisInput({ createdAt: at(10) }),
        );
        const b = await stores.diagnoses.createDiagnosis(
          diagnosisInput({ createdAt: at(12), actionability: 'needs_human' }),
        );
        const c = await stores.diagnoses.createDiagnosis(
          diagnosisInput({
            entityRef: OTHER_ENTITY,
            createdAt: at(11),
            actionability: 'collecting',
          }),
        );
        await stores.diagnoses.transitionDiagnosis(a.id, {
          to: 'acknowledged',
          from: ['open'],
          by: 'user:default/mona',
          at: at(13),
        });

        const ids = (list: { id: number }[]) => list.map(d => d.id);
        expect(ids(await stores.diagnoses.listDiagnoses({}))).toEqual([
          b.id,
          c.id,
          a.id,
        ]);
        expect(
          ids(await stores.diagnoses.listDiagnoses({ entityRefs: [ENTITY] })),
        ).toEqual([b.id, a.id]);
        expect(
          ids(await stores.diagnoses.listDiagnoses({ entityRefs: [] })),
        ).toEqual([]);
        expect(
          ids(await stores.diagnoses.listDiagnoses({ statuses: ['open'] })),
        ).toEqual([b.id, c.id]);
        expect(
          ids(
            await stores.diagnoses.listDiagnoses({
              actionability: ['needs_human', 'collecting'],
            }),
          ),
        ).toEqual([b.id, c.id]);
        expect(
          ids(
            await stores.diagnoses.listDiagnoses({
              entityRefs: [ENTITY],
              statuses: ['open', 'acknowledged'],
              actionability: ['actionable'],
            }),
          ),
        ).toEqual([a.id]);
        expect(ids(await stores.diagnoses.listDiagnoses({ limit: 1 }))).toEqual(
          [b.id],
        );
      });

      it('updates a diagnosis status with feedback', async () => {
        const created = await stores.diagnoses.createDiagnosis(
          diagnosisInput(),
        );
        const acknowledged = await stores.diagnoses.transitionDiagnosis(
          created.id,
          {
            to: 'acknowledged',
            from: ['open'],
            reason: 'The deployment only touched the README.',
            by: 'user:default/mona',
            at: at(15),
          },
        );
        expect(acknowledged).toMatchObject({
          outcome: 'updated',
          diagnosis: {
            id: created.id,
            status: 'acknowledged',
            feedback: 'The deployment only touched the README.',
            createdAt: isoAt(14, 40),
            updatedAt: isoAt(15),
          },
        });
        const row = await knex('diagnoses').where({ id: created.id }).first();
        expect(row.feedback_by).toBe('user:default/mona');

        // Without feedback the earlier feedback stays.
        const resolved = await stores.diagnoses.transitionDiagnosis(
          created.id,
          {
            to: 'resolved',
            from: ['acknowledged'],
            by: 'user:default/hubot',
            at: at(16),
          },
        );
        expect(resolved).toMatchObject({
          diagnosis: {
            status: 'resolved',
            feedback: 'The deployment only touched the README.',
            updatedAt: isoAt(16),
          },
        });

        expect(
          await stores.diagnoses.transitionDiagnosis(created.id + 1000, {
            to: 'resolved',
            from: ['open', 'acknowledged'],
            by: 'user:default/mona',
            at: at(16),
          }),
        ).toEqual({ outcome: 'missing' });
      });
    });
  });
});

describe("the agent's diagnoses", () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;
    let deployId: number;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      stores = await testStores(knex, { sampleSize: 3 });
      ({ deployId } = await seedAgentHistory(stores));
    });

    it('keeps a version of an agent diagnosis each time its conclusion changes, not each time it is rewritten', async () => {
      const { anomaly: recorded } = await stores.anomalies.recordAnomaly(
        anomalyAt(T + 12 * 24 * HOUR),
        merge,
      );
      const save = (
        minute: number,
        verdict: 'suspect' | 'not_enough_evidence',
        confidence: number,
      ) =>
        stores.diagnoses.saveAgentDiagnosis({
          entityRef: API,
          anomalyId: recorded.id,
          summary: `at minute ${minute}`,
          confidence,
          actionability: verdict === 'suspect' ? 'actionable' : 'collecting',
          verdict,
          reviewers: [],
          createdAt: T + 12 * 24 * HOUR + minute * 60_000,
          suspects: [
            { changeEventId: deployId, score: 2, confidence, evidence: [] },
          ],
          evidence: [],
        });
      const first = await save(0, 'not_enough_evidence', 0.41);
      // More events, the same conclusion: rewritten in place, no new version.
      await save(1, 'not_enough_evidence', 0.412);
      // Enough to name the deployment, then more confident still.
      await save(2, 'suspect', 0.78);
      const last = await save(3, 'suspect', 0.86);
      expect(last.outcome).toBe('updated');
      expect(last.diagnosis.id).toBe(first.diagnosis.id);
      expect(last.diagnosis.summary).toBe('at minute 3');
      const minute = (m: number) =>
        new Date(T + 12 * 24 * HOUR + m * 60_000).toISOString();
      const change = {
        id: deployId,
        entityRef: API,
        title: expect.any(String),
      };
      expect(last.diagnosis.revisions).toEqual([
        {
          at: minute(0),
          verdict: 'not_enough_evidence',
          actionability: 'collecting',
          confidence: 0.41,
          change,
        },
        {
          at: minute(2),
          verdict: 'suspect',
          actionability: 'actionable',
          confidence: 0.78,
          change,
        },
        {
          at: minute(3),
          verdict: 'suspect',
          actionability: 'actionable',
          confidence: 0.86,
          change,
        },
      ]);
      expect(
        await stores.diagnoses.listDiagnoses({ anomalyId: recorded.id }),
      ).toEqual([last.diagnosis]);
    });

    it('keeps one agent diagnosis per anomaly: replaced while open, kept once a person acted', async () => {
      const { anomaly: recorded } = await stores.anomalies.recordAnomaly(
        anomalyAt(T + 9 * 24 * HOUR),
        merge,
      );
      const input = (
        summary: string,
        confidence: number,
      ): DiagnosisInput & { anomalyId: number } => ({
        entityRef: API,
        anomalyId: recorded.id,
        summary,
        confidence,
        actionability: 'actionable',
        verdict: 'suspect',
        owner: 'group:default/team-checkout',
        nextStep: 'Roll back.',
        reviewers: ['dana'],
        impact: { events: 12, affectedUsers: 4 },
        createdAt: T + 9 * 24 * HOUR,
        suspects: [
          {
            changeEventId: deployId,
            score: 4,
            confidence,
            evidence: [
              {
                kind: 'timing',
                description: 'just before',
                weight: 1.8,
                facts: { minutesBeforeOnset: 4 },
              },
            ],
          },
        ],
        evidence: [
          { kind: 'error_spike', description: 'errors rose', weight: 0.9 },
        ],
      });
      const created = await stores.diagnoses.saveAgentDiagnosis(
        input('first', 0.6),
      );
      expect(created.outcome).toBe('created');
      const updated = await stores.diagnoses.saveAgentDiagnosis(
        input('second', 0.8),
      );
      expect(updated).toMatchObject({
        outcome: 'updated',
        diagnosis: {
          id: created.diagnosis.id,
          summary: 'second',
          confidence: 0.8,
        },
      });
      expect(updated.diagnosis.suspects).toHaveLength(1);
      expect(updated.diagnosis.suspects[0].evidence).toEqual([
        expect.objectContaining({
          kind: 'timing',
          facts: { minutesBeforeOnset: 4 },
        }),
      ]);
      expect(updated.diagnosis).toMatchObject({
        owner: 'group:default/team-checkout',
        verdict: 'suspect',
        impact: { events: 12, affectedUsers: 4 },
      });
      expect(
        await stores.diagnoses.listDiagnoses({
          owners: ['group:default/team-checkout'],
          anomalyId: recorded.id,
        }),
      ).toHaveLength(1);
      expect(
        await stores.diagnoses.listDiagnoses({
          owners: ['group:default/nobody'],
        }),
      ).toEqual([]);

      const acknowledged = await stores.diagnoses.transitionDiagnosis(
        created.diagnosis.id,
        {
          to: 'acknowledged',
          from: ['open'],
          by: 'user:default/dana',
          at: T + 10 * 24 * HOUR,
        },
      );
      expect(acknowledged).toMatchObject({
        outcome: 'updated',
        diagnosis: { status: 'acknowledged' },
      });
      const kept = await stores.diagnoses.saveAgentDiagnosis(
        input('third', 0.9),
      );
      expect(kept).toMatchObject({
        outcome: 'kept',
        diagnosis: { summary: 'second', status: 'acknowledged' },
      });

      const rejected = await stores.diagnoses.transitionDiagnosis(
        created.diagnosis.id,
        {
          to: 'rejected',
          from: ['open', 'acknowledged'],
          reason: 'A load test, not a deploy',
          by: 'user:default/lee',
          at: T + 11 * 24 * HOUR,
        },
      );
      expect(rejected).toMatchObject({
        outcome: 'updated',
        diagnosis: {
          status: 'rejected',
          feedback: 'A load test, not a deploy',
        },
      });
      if (rejected.outcome !== 'updated') throw new Error('not updated');
      expect(rejected.diagnosis.history).toEqual([
        {
          from: 'open',
          to: 'acknowledged',
          by: 'user:default/dana',
          at: new Date(T + 10 * 24 * HOUR).toISOString(),
        },
        {
          from: 'acknowledged',
          to: 'rejected',
          reason: 'A load test, not a deploy',
          by: 'user:default/lee',
          at: new Date(T + 11 * 24 * HOUR).toISOString(),
        },
      ]);
      const conflict = await stores.diagnoses.transitionDiagnosis(
        created.diagnosis.id,
        {
          to: 'acknowledged',
          from: ['open'],
          by: 'x',
          at: T,
        },
      );
      expect(conflict).toMatchObject({
        outcome: 'conflict',
        diagnosis: { status: 'rejected' },
      });
      expect(
        await stores.diagnoses.transitionDiagnosis(999999, {
          to: 'resolved',
          from: ['open'],
          by: 'x',
          at: T,
        }),
      ).toEqual({ outcome: 'missing' });
    });
  });
});
