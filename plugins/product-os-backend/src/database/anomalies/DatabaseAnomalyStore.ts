import { Knex } from 'knex';
import type { Anomaly } from '@internal/plugin-product-os-common';
import { Row } from '../rowValues';
import type { TimeRange } from '../TimeRange';
import type {
  AnomalyInput,
  AnomalyRecord,
  AnomalyStore,
  RecordAnomalyResult,
} from './AnomalyStore';
import { toAnomaly, toAnomalyRecord } from './anomalyRows';

/** {@link AnomalyStore} on the plugin's knex database. */
export class DatabaseAnomalyStore implements AnomalyStore {
  constructor(private readonly knex: Knex) {}

  async getAnomalies(entityRef: string, range: TimeRange): Promise<Anomaly[]> {
    const rows = await this.knex('anomalies')
      .where('entity_ref', entityRef)
      .where('onset_at', '>=', range.from)
      .where('onset_at', '<', range.to)
      .orderBy('onset_at', 'desc');
    return rows.map(row => toAnomaly(toAnomalyRecord(row)));
  }

  async closeAnomaly(id: number): Promise<void> {
    await this.knex('anomalies').where({ id }).update({ status: 'closed' });
  }

  async getAnomalyRecord(id: number): Promise<AnomalyRecord | undefined> {
    const row = await this.knex('anomalies').where({ id }).first();
    return row ? toAnomalyRecord(row) : undefined;
  }

  async getOpenAnomalies(entityRef: string): Promise<AnomalyRecord[]> {
    const rows = await this.knex('anomalies')
      .where({ entity_ref: entityRef, status: 'open' })
      .orderBy([
        { column: 'onset_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(toAnomalyRecord);
  }

  async recordAnomaly(
    anomaly: AnomalyInput,
    options: {
      mergeWindowMs: number;
      merge: (
        existing: AnomalyRecord,
        incoming: AnomalyInput,
        mergeWindowMs: number,
      ) => AnomalyInput | undefined;
    },
  ): Promise<RecordAnomalyResult> {
    return this.knex.transaction(async tx => {
      await lockEntity(tx, anomaly.entityRef, anomaly.detectedAt);
      const window = options.mergeWindowMs;
      const nearby: Row[] = await tx('anomalies')
        .where('entity_ref', anomaly.entityRef)
        .where(q =>
          q
            .whereBetween('onset_at', [
              anomaly.onsetAt - window,
              anomaly.onsetAt + window,
            ])
            // An open anomaly still being seen absorbs what follows it: one report, not one per
            // hour the trouble lasts.
            .orWhere(open =>
              open
                .where('status', 'open')
                .where('onset_at', '<=', anomaly.onsetAt)
                .where('updated_at', '>=', anomaly.onsetAt - window),
            ),
        )
        .orderBy('id');
      const create = async () => {
        const [row] = await tx('anomalies')
          .insert({
            ...anomalyColumns(anomaly),
            status: 'open',
            updated_at: anomaly.detectedAt,
          })
          .returning('*');
        return { anomaly: toAnomalyRecord(row), outcome: 'created' as const };
      };
      if (nearby.length === 0) return create();
      const nearest = nearby
        .map(toAnomalyRecord)
        .sort(
          (a, b) =>
            Math.abs(a.onsetAt - anomaly.onsetAt) -
              Math.abs(b.onsetAt - anomaly.onsetAt) || a.id - b.id,
        )[0];
      if (nearest.status === 'closed')
        return { anomaly: nearest, outcome: 'closed' as const };
      const merged = options.merge(nearest, anomaly, window);
      if (!merged) return create();
      const changed =
        JSON.stringify([...merged.kinds].sort()) !==
          JSON.stringify([...nearest.kinds].sort()) ||
        merged.onsetAt !== nearest.onsetAt ||
        Math.abs(merged.magnitude - nearest.magnitude) >
          0.1 * Math.abs(nearest.magnitude) ||
        Math.abs(merged.score - nearest.score) > 0.05;
      const [row] = await tx('anomalies')
        .where({ id: nearest.id })
        .update({
          ...anomalyColumns({ ...merged, detectedAt: nearest.detectedAt }),
          updated_at: Math.max(nearest.updatedAt, anomaly.detectedAt),
        })
        .returning('*');
      return {
        anomaly: toAnomalyRecord(row),
        outcome: changed ? ('merged' as const) : ('unchanged' as const),
      };
    });
  }
}

function anomalyColumns(anomaly: AnomalyInput) {
  return {
    entity_ref: anomaly.entityRef,
    kinds: JSON.stringify(anomaly.kinds),
    onset_at: anomaly.onsetAt,
    detected_at: anomaly.detectedAt,
    magnitude: anomaly.magnitude,
    score: anomaly.score,
    details: JSON.stringify(anomaly.details ?? {}),
  };
}

/**
 * Takes the entity's agent row for the rest of the transaction: on PostgreSQL the upsert holds
 * a row lock that a second writer waits for (and then sees the first one's rows); SQLite allows
 * one writer at a time anyway.
 */
async function lockEntity(tx: Knex.Transaction, entityRef: string, at: number) {
  await tx('agent_entities')
    .insert({ entity_ref: entityRef, evaluated_at: at })
    .onConflict('entity_ref')
    .merge({ evaluated_at: at });
}
