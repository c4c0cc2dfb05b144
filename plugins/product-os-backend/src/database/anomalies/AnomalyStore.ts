import type { Anomaly, AnomalyKind } from '@internal/plugin-product-os-common';
import type { TimeRange } from '../TimeRange';

export interface AnomalyInput {
  entityRef: string;
  kinds: AnomalyKind[];
  onsetAt: number;
  detectedAt: number;
  magnitude: number;
  score: number;
  details?: Record<string, unknown>;
}

/** An anomaly as the agent reads it, times in epoch ms, with the signals it merged. */
export interface AnomalyRecord {
  id: number;
  entityRef: string;
  kinds: AnomalyKind[];
  onsetAt: number;
  detectedAt: number;
  updatedAt: number;
  magnitude: number;
  score: number;
  status: 'open' | 'closed';
  details: Record<string, unknown>;
}

/** What recording an anomaly did. */
export interface RecordAnomalyResult {
  anomaly: AnomalyRecord;
  /**
   * `created`: a new anomaly; `merged`: an open one with a nearby onset took the new signals and
   * changed; `unchanged`: it took them and did not change; `closed`: a nearby anomaly was
   * already closed, so nothing was written.
   */
  outcome: 'created' | 'merged' | 'unchanged' | 'closed';
}

/** The anomalies the agent detects, one per trouble however long it lasts. */
export interface AnomalyStore {
  getAnomalies(entityRef: string, range: TimeRange): Promise<Anomaly[]>;
  closeAnomaly(id: number): Promise<void>;
  getAnomalyRecord(id: number): Promise<AnomalyRecord | undefined>;
  getOpenAnomalies(entityRef: string): Promise<AnomalyRecord[]>;
  /**
   * Records an anomaly unless one of the entity's anomalies has an onset within
   * `mergeWindowMs`, or is open, began before it and was last seen no more than `mergeWindowMs`
   * before its onset: an open one is updated with `merge(existing, incoming, mergeWindowMs)`
   * (which may answer that the incoming one is an anomaly of its own), a closed one is left alone. Runs in one transaction that first locks the entity's agent row, so two backend
   * instances cannot both insert the same anomaly.
   */
  recordAnomaly(
    anomaly: AnomalyInput,
    options: {
      mergeWindowMs: number;
      merge: (
        existing: AnomalyRecord,
        incoming: AnomalyInput,
        mergeWindowMs: number,
      ) => AnomalyInput | undefined;
    },
  ): Promise<RecordAnomalyResult>;
}
