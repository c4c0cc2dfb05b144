import type { SourceId } from '@internal/plugin-product-os-common';
import type { AnnotatedEntity, IngestSignalReason } from './entities';
import type {
  IngestOptions,
  IngestWriter,
  SyncState,
  SyncStateUpdate,
} from './store';

/** Who claims a delivery: the catalog entities whose `annotation` is one of `values`. @public */
export interface DeliveryClaim {
  source: SourceId;
  annotation: string;
  /** Any of these values claims the delivery (e.g. a Sentry project's `slug` and `org/slug`). */
  values: string[];
  /** The key the delivery is counted under for the admin view when no entity claims it. */
  unmappedKey: string;
  /** When the delivery arrived, epoch ms. */
  at: number;
}

/** The writer a source module writes one delivery through. @public */
export interface DeliveryWriter extends IngestWriter {
  /**
   * Asks the host to wake the diagnosis agent for the entity once this transaction commits
   * (nothing happens when it rolls back). New error groups and sharp rises of errors need no
   * signal: the host notices them in what was written.
   */
  signal(entityRef: string, reason: IngestSignalReason): void;
}

/**
 * The store as a source module sees it. The host owns everything after the module has mapped a
 * delivery: finding the entities that claim it, counting it when none does, and waking the agent
 * after the commit. So a module is: verify, parse, map, {@link ProductOsSourceStore.claim},
 * {@link ProductOsSourceStore.ingest}.
 *
 * @public
 */
export interface ProductOsSourceStore {
  /**
   * The entities that claim a delivery (each once, in the catalog's order, by value), with their
   * annotations. When none does, the delivery is counted as unmapped and the list is empty; the
   * host limits the rate of keys no entity claims, so this may throw a 429 error.
   */
  claim(claim: DeliveryClaim): Promise<AnnotatedEntity[]>;
  /**
   * Runs `write` in one transaction: either everything it writes is stored, or (when it throws)
   * nothing is. Returns `duplicate: true` without running it when the delivery was seen before.
   * After the commit the host wakes the agent for the error groups the writes created, for
   * errors that rose sharply, and for each {@link DeliveryWriter.signal}.
   */
  ingest<T>(
    options: IngestOptions,
    write: (writer: DeliveryWriter) => Promise<T>,
  ): Promise<{ duplicate: boolean; result?: T }>;
  /** Reads a source's sync cursor. */
  getSyncState(source: SourceId, scope: string): Promise<SyncState | undefined>;
  /** Records the outcome of a sync run. */
  saveSyncState(state: SyncStateUpdate): Promise<void>;
}
