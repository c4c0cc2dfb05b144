import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { ErrorEventInput } from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import { mergeAnomaly } from '../agent/detect/mergeSignals';
import { DatabaseProductOsStore } from './DatabaseProductOsStore';
import type { AnomalyInput, DiagnosisInput } from './ProductOsStore';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const MINUTE = 60_000;
const T = Date.parse('2026-11-09T13:00:00Z');
const API = 'component:default/checkout-api';
const WEB = 'component:default/storefront';

function event(
  fingerprint: string,
  n: number,
  timestamp: number,
  patch: Partial<ErrorEventInput> = {},
): ErrorEventInput {
  return {
    entityRef: API,
    source: 'sentry',
    fingerprint,
    eventId: `${fingerprint}-${n}`,
    title: `Error ${fingerprint}`,
    level: 'error',
    timestamp,
    release: 'a1b2c3d',
    topFrames: [{ filename: '/app/src/cart/total.ts', inApp: true }],
    userKey: `u${n % 4}`,
    ...patch,
  };
}

function anomaly(
  onsetAt: number,
  patch: Partial<AnomalyInput> = {},
): AnomalyInput {
  return {
    entityRef: API,
    kinds: ['error_spike'],
    onsetAt,
    detectedAt: onsetAt + 20 * MINUTE,
    magnitude: 5,
    score: 0.7,
    details: { signals: [], onsetUncertaintyMs: HOUR },
    ...patch,
  };
}

const merge = { mergeWindowMs: 90 * MINUTE, merge: mergeAnomaly };

describe("the agent's queries", () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let store: DatabaseProductOsStore;
    let deployId: number;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseProductOsStore.create({
        database: mockServices.database({ knex }),
        sampleSize: 3,
      });
      await store.ingest({ source: 'sentry' }, w =>
        w.recordErrorEvents([
          event('old', 1, T - 2 * HOUR),
          event('old', 2, T - 2 * HOUR + MINUTE),
          event('old', 3, T + 5 * MINUTE),
          event('new', 4, T + 10 * MINUTE, { release: 'f00ba47' }),
          event('new', 5, T + 12 * MINUTE),
          event('new', 6, T + 14 * MINUTE),
          event('new', 7, T + 16 * MINUTE),
        ]),
      );
      await store.ingest({ source: 'posthog' }, w =>
        w.recordMetricPoints([
          {
            entityRef: WEB,
            metric: 'checkout_completed',
            bucketStart: T - HOUR,
            count: 400,
          },
          {
            entityRef: WEB,
            metric: 'checkout_completed',
            bucketStart: T,
            count: 150,
          },
          {
            entityRef: WEB,
            metric: 'added_to_cart',
            bucketStart: T,
            count: 900,
          },
        ]),
      );
      await store.ingest({ source: 'github' }, w =>
        w.upsertChangeEvents([
          {
            entityRef: API,
            source: 'github',
            kind: 'deployment',
            externalId: 'd-1',
            title: 'Deploy',
            sha: 'a1b2c3d',
            occurredAt: T - 10 * MINUTE,
          },
        ]),
      );
      [{ id: deployId }] = await store.getChangeEvents(API, { from: 0, to: T });
    });

    it('reads hourly buckets per group, the groups with their times, and the bounded sample', async () => {
      const groups = await store.getErrorGroupRecords(API, {
        lastSeenFrom: T - 3 * HOUR,
      });
      const byPrint = Object.fromEntries(groups.map(g => [g.fingerprint, g]));
      expect(byPrint.new).toMatchObject({
        firstSeen: T + 10 * MINUTE,
        lastSeen: T + 16 * MINUTE,
        firstRelease: 'f00ba47',
        eventCount: 4,
        status: 'unresolved',
        topFrames: [{ filename: '/app/src/cart/total.ts', inApp: true }],
      });
      expect(
        await store.getErrorGroupRecords(API, {
          lastSeenFrom: T + 15 * MINUTE,
        }),
      ).toEqual([byPrint.new]);
      expect(
        await store.getErrorGroupRecords(API, { ids: [byPrint.old.id] }),
      ).toEqual([byPrint.old]);

      const buckets = await store.getErrorBuckets(API, {
        from: T - 3 * HOUR,
        to: T + HOUR,
      });
      expect(buckets).toEqual(
        [
          {
            groupId: byPrint.old.id,
            bucketStart: T - 2 * HOUR,
            count: 2,
            users: 2,
          },
          { groupId: byPrint.old.id, bucketStart: T, count: 1, users: 1 },
          { groupId: byPrint.new.id, bucketStart: T, count: 4, users: 4 },
        ].sort(
          (a, b) => a.bucketStart - b.bucketStart || a.groupId - b.groupId,
        ),
      );
      // The sample keeps the newest 3 events of each group.
      const samples = await store.getErrorSamples([byPrint.new.id], {
        from: T,
        to: T + HOUR,
      });
      expect(samples.map(s => s.timestamp)).toEqual([
        T + 12 * MINUTE,
        T + 14 * MINUTE,
        T + 16 * MINUTE,
      ]);
    });

    it('reads metric points and the entities active since a time', async () => {
      expect(
        await store.getMetricPoints(WEB, { from: T - HOUR, to: T + HOUR }, [
          'checkout_completed',
        ]),
      ).toEqual([
        {
          metric: 'checkout_completed',
          bucketStart: T - HOUR,
          count: 400,
          users: 0,
        },
        { metric: 'checkout_completed', bucketStart: T, count: 150, users: 0 },
      ]);
      expect(
        await store.getMetricPoints(WEB, { from: T, to: T + HOUR }),
      ).toHaveLength(2);
      expect(await store.listActiveEntities(T - HOUR)).toEqual([API, WEB]);
      expect(await store.listActiveEntities(T + HOUR)).toEqual([]);
    });

    it('records one anomaly per onset: a nearby open one absorbs the new signals, a closed one stays closed', async () => {
      const onset = T + 3 * 24 * HOUR;
      const first = await store.recordAnomaly(anomaly(onset), merge);
      expect(first.outcome).toBe('created');
      const again = await store.recordAnomaly(
        anomaly(onset + 10 * MINUTE, { detectedAt: onset + 2 * HOUR }),
        merge,
      );
      expect(again).toMatchObject({
        outcome: 'unchanged',
        anomaly: { id: first.anomaly.id },
      });
      const grown = await store.recordAnomaly(
        anomaly(onset, {
          kinds: ['incident'],
          magnitude: 1,
          details: {
            signals: [
              {
                kind: 'incident',
                onsetAt: onset,
                onsetUncertaintyMs: 0,
                magnitude: 1,
                score: 0.9,
                description: 'incident',
                incident: { id: 1, title: 'x', status: 'triggered' },
              },
            ],
            onsetUncertaintyMs: 0,
          },
        }),
        merge,
      );
      expect(grown).toMatchObject({
        outcome: 'merged',
        anomaly: { id: first.anomaly.id, kinds: ['incident'] },
      });
      // Still being seen three hours on: the same trouble, not a new anomaly.
      const later = await store.recordAnomaly(
        anomaly(onset + 3 * HOUR, { detectedAt: onset + 3 * HOUR }),
        merge,
      );
      expect(later.anomaly.id).toBe(first.anomaly.id);
      await store.closeAnomaly(first.anomaly.id);
      const closed = await store.recordAnomaly(
        anomaly(onset + 20 * MINUTE),
        merge,
      );
      expect(closed).toMatchObject({
        outcome: 'closed',
        anomaly: { id: first.anomaly.id, status: 'closed' },
      });
      const elsewhere = await store.recordAnomaly(
        anomaly(onset + 12 * HOUR),
        merge,
      );
      expect(elsewhere.outcome).toBe('created');
      expect(await store.getOpenAnomalies(API)).toEqual([elsewhere.anomaly]);
    });

    it('lets two writers recording the same onset at once create a single anomaly', async () => {
      const onset = T + 6 * 24 * HOUR;
      const results = await Promise.all([
        store.recordAnomaly(anomaly(onset, { entityRef: WEB }), merge),
        store.recordAnomaly(anomaly(onset + MINUTE, { entityRef: WEB }), merge),
        store.recordAnomaly(
          anomaly(onset + 2 * MINUTE, { entityRef: WEB }),
          merge,
        ),
      ]);
      expect(results.filter(r => r.outcome === 'created')).toHaveLength(1);
      expect(new Set(results.map(r => r.anomaly.id)).size).toBe(1);
      expect(
        await store.getAnomalies(WEB, { from: onset - HOUR, to: onset + HOUR }),
      ).toHaveLength(1);
    });

    it('makes a writer wait for another instance that is recording the same entity, then merge', async () => {
      const onset = T + 12 * 24 * HOUR;
      // Another instance, mid-way through recording an anomaly for the entity.
      const other = await knex.transaction();
      await other('agent_entities')
        .insert({ entity_ref: WEB, evaluated_at: onset })
        .onConflict('entity_ref')
        .merge();
      await other('anomalies').insert({
        entity_ref: WEB,
        kinds: '["error_spike"]',
        onset_at: onset,
        detected_at: onset,
        updated_at: onset,
        magnitude: 3,
        score: 0.6,
        status: 'open',
        details: '{}',
      });
      const mine = store.recordAnomaly(
        anomaly(onset + MINUTE, { entityRef: WEB }),
        merge,
      );
      if (databaseId === 'POSTGRES_15') {
        // Proceed once this writer is blocked on the other's lock.
        for (let i = 0; i < 500; i++) {
          const { rows } = await knex.raw(
            "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'",
          );
          if (rows[0].n > 0) break;
          await new Promise(resolve => setTimeout(resolve, 10));
        }
      }
      await other.commit();
      const result = await mine;
      expect(result.outcome).not.toBe('created');
      expect(
        await store.getAnomalies(WEB, { from: onset - HOUR, to: onset + HOUR }),
      ).toHaveLength(1);
    });

    it('keeps one agent diagnosis per anomaly: replaced while open, kept once a person acted', async () => {
      const { anomaly: recorded } = await store.recordAnomaly(
        anomaly(T + 9 * 24 * HOUR),
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
      const created = await store.saveAgentDiagnosis(input('first', 0.6));
      expect(created.outcome).toBe('created');
      const updated = await store.saveAgentDiagnosis(input('second', 0.8));
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
        await store.listDiagnoses({
          owners: ['group:default/team-checkout'],
          anomalyId: recorded.id,
        }),
      ).toHaveLength(1);
      expect(
        await store.listDiagnoses({ owners: ['group:default/nobody'] }),
      ).toEqual([]);

      const acknowledged = await store.transitionDiagnosis(
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
      const kept = await store.saveAgentDiagnosis(input('third', 0.9));
      expect(kept).toMatchObject({
        outcome: 'kept',
        diagnosis: { summary: 'second', status: 'acknowledged' },
      });

      const rejected = await store.transitionDiagnosis(created.diagnosis.id, {
        to: 'rejected',
        from: ['open', 'acknowledged'],
        reason: 'A load test, not a deploy',
        by: 'user:default/lee',
        at: T + 11 * 24 * HOUR,
      });
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
      const conflict = await store.transitionDiagnosis(created.diagnosis.id, {
        to: 'acknowledged',
        from: ['open'],
        by: 'x',
        at: T,
      });
      expect(conflict).toMatchObject({
        outcome: 'conflict',
        diagnosis: { status: 'rejected' },
      });
      expect(
        await store.transitionDiagnosis(999999, {
          to: 'resolved',
          from: ['open'],
          by: 'x',
          at: T,
        }),
      ).toEqual({ outcome: 'missing' });
    });
  });
});

describe('the diagnosis agent migration', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const directory = resolvePackagePath(
    '@internal/plugin-product-os-backend',
    'migrations',
  );

  it.each(databases.eachSupportedId())(
    '%p: adds its table and columns, and takes them away again',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable('agent_entities')).toBe(true);
      expect(await knex.schema.hasTable('diagnosis_feedback')).toBe(true);
      expect(await knex.schema.hasColumn('diagnoses', 'verdict')).toBe(true);
      expect(await knex.schema.hasColumn('diagnosis_evidence', 'facts')).toBe(
        true,
      );
      // Down through the later migrations, then this one.
      while (
        (await knex.migrate.currentVersion({ directory })) > '20261121000000'
      ) {
        await knex.migrate.down({ directory });
      }
      expect(await knex.schema.hasTable('agent_entities')).toBe(false);
      expect(await knex.schema.hasColumn('diagnoses', 'verdict')).toBe(false);
      expect(await knex.schema.hasColumn('anomalies', 'updated_at')).toBe(
        false,
      );
      expect(await knex.schema.hasTable('diagnoses')).toBe(true);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasColumn('anomalies', 'updated_at')).toBe(true);
    },
  );
});
