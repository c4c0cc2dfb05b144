import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { ChangeEventInput } from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import { testAgent } from '../../__testUtils__/testAgent';
import { readAgentConfig } from '../../config';
import {
  storeTestDatabases,
  testStores,
} from '../../database/__testUtils__/storeFixtures';
import type { ProductOsStores } from '../../database/createProductOsStores';
import { DAY_MS, HOUR_MS } from '../../time';
import { OutcomeEvaluator } from './OutcomeEvaluator';
import { OutcomeRecalibrator } from './OutcomeRecalibrator';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const API = 'component:default/checkout-api';
/** 2026-11-20T10:00Z: the deployment went live at 09:55, the new error began at 10:00. */
const T = Date.UTC(2026, 10, 20, 10);
const at = (hour: number, minute = 0) => T + hour * HOUR_MS + minute * MINUTE;

function deployment(
  externalId: string,
  sha: string,
  startedAt: number,
  finishedAt: number,
): ChangeEventInput {
  return {
    entityRef: API,
    source: 'github',
    kind: 'deployment',
    externalId,
    title: `Deploy ${sha.slice(0, 7)} to production`,
    sha,
    environment: 'production',
    status: 'success',
    occurredAt: startedAt,
    finishedAt,
    files: ['src/cart/totals.ts'],
  };
}

describe('OutcomeEvaluator', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;
    let clock: number;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    beforeEach(async () => {
      stores = await testStores(knex);
      await emptyDatabase(knex);
      clock = at(0, 20);
    });

    function agent(recalibration?: OutcomeRecalibrator) {
      return testAgent(
        stores,
        [
          {
            entityRef: API,
            name: 'checkout-api',
            dependsOn: [],
            keyMetrics: [],
          },
        ],
        () => clock,
        { recalibration },
      );
    }

    function evaluator() {
      return new OutcomeEvaluator({
        stores,
        logger: mockServices.logger.mock(),
        now: () => clock,
      });
    }

    /**
     * The deployment before (ten days earlier: the service ships weekly or less), the suspect at
     * 09:55, and a new error from 10:00 in its file.
     */
    async function seedTrouble(): Promise<number> {
      await stores.ingest.ingest({ source: 'github' }, w =>
        w.upsertChangeEvents([
          deployment('d-1', 'aaaaaaa1111111', at(-240), at(-240, 5)),
          deployment('d-2', 'bbbbbbb2222222', at(0, -10), at(0, -5)),
        ]),
      );
      await stores.ingest.ingest({ source: 'sentry' }, w =>
        w.recordErrorEvents(
          Array.from({ length: 30 }, (_, i) => ({
            entityRef: API,
            source: 'sentry' as const,
            fingerprint: 'cart-total-nan',
            eventId: `event-${i}`,
            title:
              'TypeError: Cannot read properties of undefined (reading amount)',
            level: 'error',
            timestamp: at(0) + i * 20_000,
            topFrames: [
              {
                filename: 'src/cart/totals.ts',
                function: 'lineTotal',
                inApp: true,
              },
            ],
          })),
        ),
      );
      const run = await agent().runForEntity(API);
      return run.anomalies[0].diagnosis!.id;
    }

    /** 80 more events in the hour after; none from 12:00 on. */
    async function errorsUntilNoon() {
      await stores.ingest.ingest({ source: 'sentry' }, w =>
        w.recordErrorCounts([
          {
            entityRef: API,
            source: 'sentry',
            fingerprint: 'cart-total-nan',
            hours: [{ bucketStart: at(1), count: 80 }],
          },
        ]),
      );
    }

    async function rollBackAt(startedAt: number, finishedAt: number) {
      await stores.ingest.ingest({ source: 'github' }, w =>
        w.upsertChangeEvents([
          deployment('d-3', 'aaaaaaa1111111', startedAt, finishedAt),
        ]),
      );
    }

    it('verifies a diagnosis whose suspect was rolled back when the errors stopped, once, and shows it', async () => {
      const id = await seedTrouble();
      const diagnosis = (await stores.diagnoses.getDiagnosis(id))!;
      expect(diagnosis).toMatchObject({ verdict: 'suspect' });
      expect(diagnosis.suspects[0].change.sha).toBe('bbbbbbb2222222');
      await errorsUntilNoon();
      await rollBackAt(at(1, 20), at(1, 25));

      // 13:30: 12:00 is quiet, 13:00 not over yet.
      clock = at(3, 30);
      expect(await evaluator().evaluate()).toEqual({ decided: 0, pending: 1 });
      expect(
        (await stores.diagnoses.getDiagnosis(id))!.outcome,
      ).toBeUndefined();

      // 14:30: two quiet hours; two instances at once write one outcome.
      clock = at(4, 30);
      const passes = await Promise.all([
        evaluator().evaluate(),
        evaluator().evaluate(),
      ]);
      expect(passes.map(p => p.decided + p.pending)).toEqual([1, 1]);
      const [rollback] = await stores.changes.getChangeEvents(API, {
        from: at(1),
        to: at(2),
      });
      expect((await stores.diagnoses.getDiagnosis(id))!.outcome).toEqual({
        outcome: 'verified',
        basis: 'rolled_back_and_stopped',
        description:
          'The suspect was rolled back at 11:25 UTC, and its errors were back to their usual level from 12:00 UTC.',
        decidedAt: new Date(at(4, 30)).toISOString(),
        suspectChangeId: diagnosis.suspects[0].change.id,
        fix: {
          changeId: rollback.id,
          entityRef: API,
          at: new Date(at(1, 25)).toISOString(),
          title: 'Deploy aaaaaaa to production',
        },
        stoppedAt: new Date(at(2)).toISOString(),
      });
      expect(await stores.outcomes.labelledConfidences(10)).toEqual([
        { confidence: diagnosis.confidence, suspectWasCause: true },
      ]);
      // Decided once: nothing is left to judge, and a second write does not replace it.
      expect(await evaluator().evaluate()).toEqual({ decided: 0, pending: 0 });
      expect(
        await stores.outcomes.recordOutcome({
          diagnosisId: id,
          outcome: 'refuted',
          basis: 'rejected',
          description: 'x',
          confidence: 0.1,
          decidedAt: clock,
        }),
      ).toBe('exists');
      expect((await stores.diagnoses.getDiagnosis(id))!.outcome?.outcome).toBe(
        'verified',
      );
    });

    it('refutes a rejected diagnosis and keeps the reason and who gave it', async () => {
      const id = await seedTrouble();
      await stores.diagnoses.transitionDiagnosis(id, {
        to: 'rejected',
        from: ['open'],
        reason: 'The deploy only changed the README',
        by: 'user:default/dana',
        at: at(0, 40),
      });
      clock = at(0, 45);
      expect(await evaluator().evaluate()).toEqual({ decided: 1, pending: 0 });
      expect((await stores.diagnoses.getDiagnosis(id))!.outcome).toMatchObject({
        outcome: 'refuted',
        basis: 'rejected',
        description:
          'Rejected by a reviewer at 10:40 UTC, with the reason below.',
        reason: 'The deploy only changed the README',
        decidedBy: 'user:default/dana',
      });
      expect(await stores.outcomes.labelledConfidences(10)).toEqual([
        { confidence: expect.any(Number), suspectWasCause: false },
      ]);
    });

    it('refutes a suspect rolled back after the errors had stopped by themselves', async () => {
      const id = await seedTrouble();
      await rollBackAt(at(3, 20), at(3, 25));
      // The 30 events of 10:00 and nothing after: quiet from 11:00, a whole hour before 13:25.
      clock = at(5);
      await evaluator().evaluate();
      expect((await stores.diagnoses.getDiagnosis(id))!.outcome).toMatchObject({
        outcome: 'refuted',
        basis: 'stopped_before_fix',
        stoppedAt: new Date(at(1)).toISOString(),
      });
    });

    it('verifies the diagnosis of a key metric drop once the metric is back after the rollback', async () => {
      await stores.ingest.ingest({ source: 'github' }, w =>
        w.upsertChangeEvents([
          deployment('d-1', 'aaaaaaa1111111', at(-240), at(-240, 5)),
          deployment('d-2', 'bbbbbbb2222222', at(0, -10), at(0, -5)),
          deployment('d-3', 'aaaaaaa1111111', at(1, 50), at(2)),
        ]),
      );
      // 100 checkouts an hour on the 3 days before; 30 from 10:00, 95 again from 13:00.
      const hours = [
        ...[-72, -48, -24].flatMap(day =>
          Array.from({ length: 6 }, (_, h) => ({ hour: day + h, count: 100 })),
        ),
        ...[30, 30, 60, 95, 97].map((count, h) => ({ hour: h, count })),
      ];
      await stores.ingest.ingest({ source: 'posthog' }, w =>
        w.recordMetricPoints(
          hours.map(({ hour, count }) => ({
            entityRef: API,
            metric: 'checkout_completed',
            bucketStart: at(hour),
            count,
          })),
        ),
      );
      const { anomaly } = await stores.anomalies.recordAnomaly(
        {
          entityRef: API,
          kinds: ['metric_drop'],
          onsetAt: at(0),
          detectedAt: at(2, 5),
          magnitude: -0.7,
          score: 0.8,
          details: {
            signals: [
              {
                kind: 'metric_drop',
                onsetAt: at(0),
                onsetUncertaintyMs: HOUR_MS,
                magnitude: -0.7,
                score: 0.8,
                description: 'checkout_completed fell 70 %',
                metric: {
                  key: 'checkout_completed',
                  observed: 60,
                  expected: 200,
                },
              },
            ],
            onsetUncertaintyMs: HOUR_MS,
          },
        },
        { mergeWindowMs: 0, merge: () => undefined },
      );
      const [suspect] = await stores.changes.getChangeEvents(API, {
        from: at(0, -10),
        to: at(0, -9),
      });
      const diagnosis = await stores.diagnoses.createDiagnosis({
        entityRef: API,
        anomalyId: anomaly.id,
        summary: 'checkout_completed fell 70 % after deploy bbbbbbb',
        confidence: 0.6,
        verdict: 'suspect',
        actionability: 'needs_human',
        reviewers: [],
        createdAt: at(2, 5),
        suspects: [
          {
            changeEventId: suspect.id,
            score: 2,
            confidence: 0.6,
            evidence: [],
          },
        ],
        evidence: [],
      });
      // 14:59: 13:00 is back, 14:00 not over yet.
      clock = at(4, 59);
      expect(await evaluator().evaluate()).toEqual({ decided: 0, pending: 1 });
      clock = at(5);
      await evaluator().evaluate();
      expect(
        (await stores.diagnoses.getDiagnosis(diagnosis.id))!.outcome,
      ).toMatchObject({
        outcome: 'verified',
        basis: 'rolled_back_and_stopped',
        description:
          'The suspect was rolled back at 12:00 UTC, and its key metrics were back to their usual level from 13:00 UTC.',
        stoppedAt: new Date(at(3)).toISOString(),
      });
    });

    it('is inconclusive when nothing tells within 3 days', async () => {
      const id = await seedTrouble();
      await stores.ingest.ingest({ source: 'sentry' }, w =>
        w.recordErrorCounts([
          {
            entityRef: API,
            source: 'sentry',
            fingerprint: 'cart-total-nan',
            hours: Array.from({ length: 72 }, (_, h) => ({
              bucketStart: at(h + 1),
              count: 40,
            })),
          },
        ]),
      );
      clock = at(0, 20) + 3 * DAY_MS - 1;
      expect(await evaluator().evaluate()).toEqual({ decided: 0, pending: 1 });
      clock = at(0, 20) + 3 * DAY_MS;
      await evaluator().evaluate();
      expect((await stores.diagnoses.getDiagnosis(id))!.outcome).toMatchObject({
        outcome: 'inconclusive',
        basis: 'deadline',
      });
      expect(await stores.outcomes.labelledConfidences(10)).toEqual([]);
    });

    it("adjusts later confidences from this installation's outcomes, by at most 0.1, and not when it is off", async () => {
      const id = await seedTrouble();
      const built = (await stores.diagnoses.getDiagnosis(id))!;
      // Ten earlier diagnoses given the same confidence whose suspect was not the cause.
      for (let i = 0; i < 10; i++) {
        const earlier = await stores.diagnoses.createDiagnosis({
          entityRef: API,
          summary: 'earlier',
          confidence: built.confidence,
          actionability: 'actionable',
          reviewers: [],
          createdAt: at(-48 - i),
          suspects: [],
          evidence: [],
        });
        await stores.outcomes.recordOutcome({
          diagnosisId: earlier.id,
          outcome: 'refuted',
          basis: 'rejected',
          description: 'Rejected.',
          confidence: built.confidence,
          suspectWasCause: false,
          decidedAt: at(-24 - i),
        });
      }
      const recalibrated = await agent(
        new OutcomeRecalibrator({
          outcomes: stores.outcomes,
          now: () => clock,
        }),
      ).researchAgain(built.anomalyId!, 'user:default/dana');
      expect(recalibrated.confidence).toBeLessThan(built.confidence);
      expect(recalibrated.confidence).toBeGreaterThanOrEqual(
        built.confidence - 0.1 - 1e-9,
      );
      expect(
        recalibrated.evidence.find(e => e.kind === 'recalibration'),
      ).toMatchObject({
        facts: expect.objectContaining({
          before: built.confidence,
          outcomes: 10,
          causes: 0,
        }),
      });
      // Outcomes are recorded against what the built-in calibration said.
      expect(await stores.outcomes.labelledConfidences(1)).toEqual([
        { confidence: built.confidence, suspectWasCause: false },
      ]);

      // Off: the same research gives the built-in confidence.
      const off = readAgentConfig(
        new ConfigReader({ outcomes: { recalibrate: false } }),
      );
      expect(off.outcomes.recalibrate).toBe(false);
      expect(readAgentConfig().outcomes.recalibrate).toBe(true);
      const plain = await agent(
        OutcomeRecalibrator.fromConfig(off, stores.outcomes),
      ).researchAgain(built.anomalyId!, 'user:default/dana');
      expect(plain.confidence).toBe(built.confidence);
      expect(plain.evidence.map(e => e.kind)).not.toContain('recalibration');
    });
  });
});
