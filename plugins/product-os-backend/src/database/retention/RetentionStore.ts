export interface RetentionPolicy {
  /** Raw samples (events, user keys, delivery ids) older than this are removed. */
  rawMaxAgeMs: number;
  /** Hourly buckets and metric points older than this are removed. */
  aggregateMaxAgeMs: number;
}

export interface RetentionResult {
  rawRowsDeleted: number;
  aggregateRowsDeleted: number;
}

/**
 * Removes what has aged out of every aggregate's tables, in one transaction. Raw samples go
 * first; aggregates inside the aggregate window are never touched.
 */
export interface RetentionStore {
  prune(now: number, policy: RetentionPolicy): Promise<RetentionResult>;
}
