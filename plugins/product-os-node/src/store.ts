import type { SourceId } from '@internal/plugin-product-os-common';
import type {
  ChangeEventInput,
  ErrorCountsInput,
  ErrorEventInput,
  ErrorGroupStatusInput,
  IncidentInput,
  IncidentTimelineInput,
  MetricPointInput,
  PulledMetricPointInput,
} from './records';

/** Names an error group. @public */
export interface ErrorGroupKey {
  entityRef: string;
  source: SourceId;
  fingerprint: string;
}

/** The writes one delivery makes, all inside one transaction. @public */
export interface IngestWriter {
  /**
   * Stores error events: upserts their groups, adds them to the hourly buckets and to the
   * bounded sample. Events whose id was stored before are skipped. `newGroups` lists the groups
   * these events created (so the caller can signal `new_error_group`).
   */
  recordErrorEvents(events: ErrorEventInput[]): Promise<{
    stored: number;
    duplicates: number;
    newGroups?: ErrorGroupKey[];
  }>;
  /**
   * Records error groups' hourly counts as their source counted them (a pull), beside the events
   * pushed to them. An hour keeps both, the events pushed through `recordErrorEvents` and the
   * largest count a pull reported for it, and reads as the larger of the two: events that arrive
   * both ways are counted once whichever arrives first, and a later pull that reports less, or
   * leaves the hour out (a gap), never lowers it. A group's total becomes at least `total` and
   * its last seen at least `lastSeen`. Groups not stored are skipped and listed in
   * `unknownGroups` (create them with `recordErrorEvents` first); `raised` lists the groups an
   * hour of which now reads higher than before.
   */
  recordErrorCounts(counts: ErrorCountsInput[]): Promise<{
    raised: ErrorGroupKey[];
    unknownGroups: ErrorGroupKey[];
  }>;
  /** Returns false when the group is unknown. */
  updateErrorGroupStatus(input: ErrorGroupStatusInput): Promise<boolean>;
  upsertChangeEvents(changes: ChangeEventInput[]): Promise<void>;
  /**
   * The incidents stored under this source's id, as they are now (read inside this transaction):
   * the one of `entityRef`, or without it those of every entity. For sources whose follow-up
   * reports do not repeat the whole incident (an acknowledge without a summary, a note that names
   * only the incident), so they can update it without overwriting what they lack.
   */
  findIncidents(key: {
    source: SourceId;
    externalId: string;
    entityRef?: string;
  }): Promise<IncidentInput[]>;
  /**
   * The timeline stored for the incident of `entityRef` (empty when there is none), oldest
   * first. For sources that learn of the same moment two ways (a webhook and a pull of the
   * vendor's log), whose entries carry different ids, so they can add only what is not there.
   */
  findIncidentTimeline(key: {
    source: SourceId;
    externalId: string;
    entityRef: string;
  }): Promise<IncidentTimelineInput[]>;
  /** Upserts the incident and appends timeline entries not stored before. */
  upsertIncident(
    incident: IncidentInput,
    timeline?: IncidentTimelineInput[],
  ): Promise<void>;
  /** Adds pushed events to their hours: counts are summed, users counted once per hour. */
  recordMetricPoints(points: MetricPointInput[]): Promise<void>;
  /**
   * Sets hours from a pull (the vendor's own totals), beside what was pushed for them. An hour
   * keeps its pushed sum and its pulled total apart and reads as the larger of the two (counts
   * and users alike), so events that reached Product OS both ways are not counted twice, pulling
   * an hour again replaces its pulled total instead of adding to it, and events pushed after the
   * pull add to the pushed sum only. An hour a pull does not name keeps what it has.
   */
  setPulledMetricPoints(points: PulledMetricPointInput[]): Promise<void>;
}

/** Options of {@link ProductOsIngestStore.ingest}. @public */
export interface IngestOptions {
  source: SourceId;
  /**
   * The sender's delivery id (GitHub `X-GitHub-Delivery`, a PagerDuty event id, ...). A delivery
   * already processed is not processed again.
   */
  deliveryId?: string;
}

/** The part of the Product OS store that source modules write through. @public */
export interface ProductOsIngestStore {
  /**
   * Runs `write` in one transaction: either everything it writes is stored, or (when it throws)
   * nothing is. Returns `duplicate: true` without running it when the delivery was seen before.
   */
  ingest<T>(
    options: IngestOptions,
    write: (writer: IngestWriter) => Promise<T>,
  ): Promise<{ duplicate: boolean; result?: T }>;
  /** Counts a delivery that no catalog entity claims, for the admin view. */
  recordUnmapped(source: SourceId, key: string, at: number): Promise<void>;
  /** Reads a source's sync cursor. */
  getSyncState(source: SourceId, scope: string): Promise<SyncState | undefined>;
  /** Records the outcome of a sync run. */
  saveSyncState(state: SyncStateUpdate): Promise<void>;
}

/** Where a pull sync left off. @public */
export interface SyncState {
  source: SourceId;
  scope: string;
  cursor?: string;
  lastSuccessAt?: number;
  lastError?: string;
  lastErrorAt?: number;
  /** Items the last successful pull wrote. */
  items?: number;
  /** How long the last attempt (success or failure) took, ms. */
  durationMs?: number;
}

/** A sync run's outcome: success moves the cursor, failure records the error and keeps it. @public */
export type SyncStateUpdate =
  | {
      source: SourceId;
      scope: string;
      at: number;
      cursor?: string;
      items?: number;
      durationMs?: number;
    }
  | {
      source: SourceId;
      scope: string;
      at: number;
      error: string;
      durationMs?: number;
    };
