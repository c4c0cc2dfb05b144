import { Knex } from 'knex';
import {
  anomalyAt,
  API,
  HOUR,
  merge,
  MINUTE,
  seedAgentHistory,
  T,
  WEB,
} from '../__testUtils__/agentHistory';
import { storeTestDatabases, testStores } from '../__testUtils__/storeFixtures';
import type { ProductOsStores } from '../createProductOsStores';

jest.setTimeout(60_000);

describe("recording the agent's anomalies", () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      stores = await testStores(knex, { sampleSize: 3 });
      await seedAgentHistory(stores);
    });

    it('records one anomaly per onset: a nearby open one absorbs the new signals, a closed one stays closed', async () => {
      const onset = T + 3 * 24 * HOUR;
      const first = await stores.anomalies.recordAnomaly(
        anomalyAt(onset),
        merge,
      );
      expect(first.outcome).toBe('created');
      const again = await stores.anomalies.recordAnomaly(
        anomalyAt(onset + 10 * MINUTE, { detectedAt: onset + 2 * HOUR }),
        merge,
      );
      expect(again).toMatchObject({
        outcome: 'unchanged',
        anomaly: { id: first.anomaly.id },
      });
      const grown = await stores.anomalies.recordAnomaly(
        anomalyAt(onset, {
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
      const later = await stores.anomalies.recordAnomaly(
        anomalyAt(onset + 3 * HOUR, { detectedAt: onset + 3 * HOUR }),
        merge,
      );
      expect(later.anomaly.id).toBe(first.anomaly.id);
      await stores.anomalies.closeAnomaly(first.anomaly.id);
      const closed = await stores.anomalies.recordAnomaly(
        anomalyAt(onset + 20 * MINUTE),
        merge,
      );
      expect(closed).toMatchObject({
        outcome: 'closed',
        anomaly: { id: first.anomaly.id, status: 'closed' },
      });
      const elsewhere = await stores.anomalies.recordAnomaly(
        anomalyAt(onset + 12 * HOUR),
        merge,
      );
      expect(elsewhere.outcome).toBe('created');
      expect(await stores.anomalies.getOpenAnomalies(API)).toEqual([
        elsewhere.anomaly,
      ]);
    });

    it('records a new error group first seen hours into an open incident as an anomaly of its own', async () => {
      const paged = T + 8 * 24 * HOUR;
      const incident = await stores.anomalies.recordAnomaly(
        anomalyAt(paged - 15 * MINUTE, {
          kinds: ['incident'],
          details: {
            signals: [
              {
                kind: 'incident',
                onsetAt: paged - 15 * MINUTE,
                onsetUncertaintyMs: 15 * MINUTE,
                magnitude: 1,
                score: 0.9,
                description: 'incident',
                incident: { id: 2, title: 'x', status: 'triggered' },
              },
            ],
            onsetUncertaintyMs: 15 * MINUTE,
          },
          detectedAt: paged + 4 * HOUR,
        }),
        merge,
      );
      const firstSeen = paged + 4 * HOUR;
      const group = await stores.anomalies.recordAnomaly(
        anomalyAt(firstSeen, {
          kinds: ['new_error_group'],
          details: {
            signals: [
              {
                kind: 'new_error_group',
                onsetAt: firstSeen,
                onsetUncertaintyMs: 0,
                magnitude: 3,
                score: 0.8,
                description: 'new group',
                groups: [{ id: 9, excess: 30 }],
              },
            ],
            onsetUncertaintyMs: 0,
          },
          detectedAt: firstSeen + MINUTE,
        }),
        merge,
      );
      expect(group.outcome).toBe('created');
      expect(group.anomaly.id).not.toBe(incident.anomaly.id);
      expect(group.anomaly.onsetAt).toBe(firstSeen);
    });

    it('lets two writers recording the same onset at once create a single anomaly', async () => {
      const onset = T + 6 * 24 * HOUR;
      const results = await Promise.all([
        stores.anomalies.recordAnomaly(
          anomalyAt(onset, { entityRef: WEB }),
          merge,
        ),
        stores.anomalies.recordAnomaly(
          anomalyAt(onset + MINUTE, { entityRef: WEB }),
          merge,
        ),
        stores.anomalies.recordAnomaly(
          anomalyAt(onset + 2 * MINUTE, { entityRef: WEB }),
          merge,
        ),
      ]);
      expect(results.filter(r => r.outcome === 'created')).toHaveLength(1);
      expect(new Set(results.map(r => r.anomaly.id)).size).toBe(1);
      expect(
        await stores.anomalies.getAnomalies(WEB, {
          from: onset - HOUR,
          to: onset + HOUR,
        }),
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
      const mine = stores.anomalies.recordAnomaly(
        anomalyAt(onset + MINUTE, { entityRef: WEB }),
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
        await stores.anomalies.getAnomalies(WEB, {
          from: onset - HOUR,
          to: onset + HOUR,
        }),
      ).toHaveLength(1);
    });
  });
});
