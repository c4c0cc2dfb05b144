import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  storeTestDatabases,
  testStores,
} from '../../database/__testUtils__/storeFixtures';
import type { ProductOsStores } from '../../database/createProductOsStores';
import { mergeAnomaly } from '../../agent/detect/mergeSignals';
import { DEFAULT_HEALTH_WEIGHTS } from '../../read/healthScore';
import { DAY_MS, HOUR_MS } from '../../time';
import { computeHealth } from './computeHealth';

jest.setTimeout(60_000);

/** The window ends at T (2026-11-30), a week long; the week before is the baseline. */
const T = Date.UTC(2026, 10, 30);
const WEEK = { from: T - 7 * DAY_MS, to: T, bucketMs: HOUR_MS };
const API = 'component:default/checkout-api';
const QUIET = 'component:default/quiet';

async function seed(knex: Knex, stores: ProductOsStores) {
  // Three error groups: one new in the window, one resolved long ago that came back in it, one
  // seen only before the window.
  await knex('error_groups').insert(
    [
      { fingerprint: 'new', first_seen: T - 2 * DAY_MS },
      {
        fingerprint: 'regressed',
        first_seen: T - 40 * DAY_MS,
        regressed_at: T - DAY_MS,
      },
      { fingerprint: 'old', first_seen: T - 20 * DAY_MS },
    ].map(g => ({
      entity_ref: API,
      source: 'sentry',
      title: g.fingerprint,
      last_seen: T - HOUR_MS,
      ...g,
    })),
  );
  // checkout_completed: 100 in the week before, 60 in the window (a 40 % drop); signup steady;
  // an event that is not a key metric fell to nothing and does not count.
  await stores.ingest.ingest({ source: 'posthog' }, async writer => {
    await writer.recordMetricPoints([
      {
        entityRef: API,
        metric: 'checkout_completed',
        bucketStart: T - 10 * DAY_MS,
        count: 100,
      },
      {
        entityRef: API,
        metric: 'checkout_completed',
        bucketStart: T - 3 * DAY_MS,
        count: 60,
      },
      {
        entityRef: API,
        metric: 'signup',
        bucketStart: T - 10 * DAY_MS,
        count: 10,
      },
      {
        entityRef: API,
        metric: 'signup',
        bucketStart: T - 3 * DAY_MS,
        count: 10,
      },
      {
        entityRef: API,
        metric: 'page_view',
        bucketStart: T - 10 * DAY_MS,
        count: 1000,
      },
    ]);
  });
  // Resolved in the window after 2 h and 6 h (lower median 2 h); open at T though resolved after
  // it; resolved before the window.
  const incidents = [
    {
      id: 'a',
      createdAt: T - 3 * DAY_MS,
      resolvedAt: T - 3 * DAY_MS + 2 * HOUR_MS,
    },
    {
      id: 'b',
      createdAt: T - 2 * DAY_MS,
      resolvedAt: T - 2 * DAY_MS + 6 * HOUR_MS,
    },
    { id: 'c', createdAt: T - HOUR_MS, resolvedAt: T + HOUR_MS },
    { id: 'd', createdAt: T - 20 * DAY_MS, resolvedAt: T - 19 * DAY_MS },
  ];
  await stores.ingest.ingest({ source: 'pagerduty' }, async writer => {
    for (const i of incidents) {
      await writer.upsertIncident({
        entityRef: API,
        source: 'pagerduty',
        externalId: i.id,
        title: i.id,
        status: 'resolved',
        createdAt: i.createdAt,
        resolvedAt: i.resolvedAt,
      });
    }
  });
  const diagnosis = (
    actionability: 'collecting' | 'needs_human',
    createdAt: number,
  ) =>
    stores.diagnoses.createDiagnosis({
      entityRef: API,
      summary: 'Errors rose',
      confidence: 0.4,
      actionability,
      reviewers: [],
      createdAt,
      suspects: [],
      evidence: [],
    });
  // Still collecting; needs a person and was resolved only after T (open at T); resolved before T.
  await diagnosis('collecting', T - DAY_MS);
  const later = await diagnosis('needs_human', T - DAY_MS);
  const earlier = await diagnosis('needs_human', T - 5 * DAY_MS);
  for (const [id, at] of [
    [later.id, T + HOUR_MS],
    [earlier.id, T - 4 * DAY_MS],
  ]) {
    await stores.diagnoses.transitionDiagnosis(id, {
      to: 'resolved',
      from: ['open'],
      by: 'user:default/mona',
      at,
    });
  }
}

describe('computeHealth', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const stores = await testStores(knex);
      await emptyDatabase(knex);
      await seed(knex, stores);
    });

    it('reads every input as of the end of the window, with the points each takes', async () => {
      const results = await computeHealth(
        knex,
        [
          { entityRef: API, keyMetrics: ['checkout_completed', 'signup'] },
          { entityRef: QUIET, keyMetrics: [] },
        ],
        WEEK,
        { weights: DEFAULT_HEALTH_WEIGHTS, environments: ['production'] },
      );
      const api = results.get(API)!;
      expect(api.signals).toEqual({
        events: 0,
        previousEvents: 0,
        errorBaseline: true,
        openIncidents: 1,
        diagnosesNeedingHuman: 1,
        openDiagnoses: 1,
        newErrorGroups: 1,
        regressedErrorGroups: 1,
        keyMetricDrop: 0.4,
        mttrHours: 2,
        changeFailureRate: null,
      });
      const penalties = Object.fromEntries(
        api.inputs.map(i => [i.name, i.penalty]),
      );
      // 25 + 10 + 2 + 3 + 5 + 8 (20 × 0.4) + 1 (0.5 × 2 h).
      expect(penalties).toMatchObject({
        openIncidents: 25,
        diagnosesNeedingHuman: 10,
        openDiagnoses: 2,
        newErrorGroups: 3,
        regressedErrorGroups: 5,
        keyMetricDrop: 8,
        mttr: 1,
        changeFailureRate: 0,
      });
      expect(api.score).toBe(100 - 54);
      expect(results.get(QUIET)!.score).toBe(100);
    });

    it('charges a rise of errors only against a baseline: not for a service whose errors all began in the window', async () => {
      const NEW = 'component:default/new-service';
      const WOKEN = 'component:default/woken-service';
      // Both counted 64 events two days ago and none the week before; only the woken service
      // had an error group before the window.
      await knex('error_groups').insert(
        [
          { entity_ref: NEW, fingerprint: 'n', first_seen: T - 2 * DAY_MS },
          { entity_ref: WOKEN, fingerprint: 'w', first_seen: T - 30 * DAY_MS },
        ].map(g => ({
          source: 'sentry',
          title: g.fingerprint,
          last_seen: T - HOUR_MS,
          ...g,
        })),
      );
      const stores = await testStores(knex);
      await stores.ingest.ingest({ source: 'sentry' }, writer =>
        writer.recordErrorCounts(
          [
            [NEW, 'n'],
            [WOKEN, 'w'],
          ].map(([entityRef, fingerprint]) => ({
            entityRef,
            source: 'sentry',
            fingerprint,
            hours: [{ bucketStart: T - 2 * DAY_MS, count: 63 }],
          })),
        ),
      );
      const results = await computeHealth(
        knex,
        [
          { entityRef: NEW, keyMetrics: [] },
          { entityRef: WOKEN, keyMetrics: [] },
        ],
        WEEK,
        { weights: DEFAULT_HEALTH_WEIGHTS, environments: ['production'] },
      );
      const growth = (ref: string) =>
        results.get(ref)!.inputs.find(i => i.name === 'errorGrowth');
      expect(results.get(NEW)!.signals).toMatchObject({
        events: 63,
        previousEvents: 0,
        errorBaseline: false,
      });
      expect(growth(NEW)).toMatchObject({ value: 0, penalty: 0 });
      // log2(64 / 1) = 6 doublings, 10 points each, at most 20.
      expect(results.get(WOKEN)!.signals).toMatchObject({
        events: 63,
        errorBaseline: true,
      });
      expect(growth(WOKEN)).toMatchObject({ value: 6, penalty: 20 });
      // The new service's group still counts as new, so its errors are not silent.
      expect(results.get(NEW)!.signals.newErrorGroups).toBe(1);
    });

    it("counts a diagnosis as waiting for a person by what it said on the window's end, not by what it says now", async () => {
      const REVISED = 'component:default/revised';
      const stores = await testStores(knex);
      const { anomaly } = await stores.anomalies.recordAnomaly(
        {
          entityRef: REVISED,
          kinds: ['error_spike'],
          onsetAt: T - 10 * DAY_MS,
          detectedAt: T - 10 * DAY_MS,
          magnitude: 3,
          score: 0.8,
          details: { signals: [], onsetUncertaintyMs: 0 },
        },
        { mergeWindowMs: 60_000, merge: mergeAnomaly },
      );
      // Collecting from ten days before T; rewritten in place two days before T to ask a person.
      for (const [actionability, createdAt] of [
        ['collecting', T - 10 * DAY_MS],
        ['needs_human', T - 2 * DAY_MS],
      ] as const) {
        await stores.diagnoses.saveAgentDiagnosis({
          entityRef: REVISED,
          anomalyId: anomaly.id,
          summary: 'Errors rose',
          confidence: 0.3,
          actionability,
          verdict: 'not_enough_evidence',
          reviewers: [],
          createdAt,
          suspects: [],
          evidence: [],
        });
      }
      const asOf = async (to: number) =>
        (
          await computeHealth(
            knex,
            [{ entityRef: REVISED, keyMetrics: [] }],
            { from: to - 7 * DAY_MS, to, bucketMs: HOUR_MS },
            { weights: DEFAULT_HEALTH_WEIGHTS, environments: ['production'] },
          )
        ).get(REVISED)!.signals;
      expect(await asOf(T - 5 * DAY_MS)).toMatchObject({
        openDiagnoses: 1,
        diagnosesNeedingHuman: 0,
      });
      // Open diagnoses are counted once: as waiting for a person, or as still collecting.
      expect(await asOf(T)).toMatchObject({
        openDiagnoses: 0,
        diagnosesNeedingHuman: 1,
      });
    });

    it('sees the present once the window ends now', async () => {
      const now = T + 2 * HOUR_MS;
      const results = await computeHealth(
        knex,
        [{ entityRef: API, keyMetrics: [] }],
        { from: now - 7 * DAY_MS, to: now, bucketMs: HOUR_MS },
        { weights: DEFAULT_HEALTH_WEIGHTS, environments: ['production'] },
      );
      // Incident c and the diagnosis needing a person were resolved an hour after T.
      expect(results.get(API)!.signals).toMatchObject({
        openIncidents: 0,
        diagnosesNeedingHuman: 0,
        openDiagnoses: 1,
      });
    });
  });
});
