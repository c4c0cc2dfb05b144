/** Where one pull of one source stands for an entity (one scope, e.g. its Sentry project). @public */
export interface PullSyncStatus {
  /** The pull's id within its source, e.g. `issues`. */
  pullId: string;
  /** What is pulled for the entity, e.g. `acme/checkout-api`. */
  scope: string;
  /** ISO times. */
  lastSuccessAt?: string;
  /** Why the last attempt failed; absent once a later one succeeded. */
  lastError?: string;
  lastErrorAt?: string;
  /** When the next scheduled run is expected to reach this scope (an estimate). */
  nextRunAt?: string;
  /** Items the last successful pull wrote. */
  items?: number;
}

/** A source's pull side as an entity page shows it. @public */
export type SourceSyncStatus =
  | { source: string; configured: true; pulls: PullSyncStatus[] }
  | {
      source: string;
      configured: false;
      /** What an administrator sets to connect the source, e.g. `productOs.sentry.pull.token`. */
      howToConnect: string;
    };

/** `GET` and `POST /entities/:kind/:namespace/:name/sync`. @public */
export interface EntitySyncStatus {
  entityRef: string;
  /** The sources that pull for this entity or could once connected; none when it has no annotation of theirs. */
  sources: SourceSyncStatus[];
}
