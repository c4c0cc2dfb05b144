import type {
  ErrorGroupStatus,
  SourceId,
  StackFrame,
} from '@internal/plugin-product-os-common';
import type { ErrorGroupKey } from '@internal/plugin-product-os-node';
import type { TimeRange } from '../TimeRange';

/** An error group as the agent reads it, times in epoch ms. */
export interface ErrorGroupRecord {
  id: number;
  entityRef: string;
  source: SourceId;
  fingerprint: string;
  title: string;
  culprit?: string;
  level: string;
  status: ErrorGroupStatus;
  firstSeen: number;
  lastSeen: number;
  firstRelease?: string;
  resolvedAt?: number;
  regressedAt?: number;
  topFrames: StackFrame[];
  permalink?: string;
  eventCount: number;
}

/** Events of one error group in one hour. */
export interface ErrorBucketRecord {
  groupId: number;
  bucketStart: number;
  count: number;
  users: number;
}

/** A raw event kept in a group's bounded sample. */
export interface ErrorSampleRecord {
  groupId: number;
  timestamp: number;
  release?: string;
}

/** Stored events per hour, by the hour's start (epoch ms); an hour without events is absent. */
export type HourlyCounts = Map<number, number>;

/** The recent hourly counts of some error groups, and of their entities' errors in total. */
export interface RecentHourlyCounts {
  /** By {@link errorGroupId}. */
  groups: Map<string, HourlyCounts>;
  /** By entity ref: every group of the entity, from every source. */
  entities: Map<string, HourlyCounts>;
}

/** A group's key in {@link RecentHourlyCounts.groups}. */
export function errorGroupId(group: ErrorGroupKey): string {
  return `${group.entityRef}\u0000${group.source}\u0000${group.fingerprint}`;
}

/**
 * Error groups, their hourly buckets and their sampled raw events (written by `ingestErrors`), as
 * the agent reads them. The read API's pages over them are counted in `readModel/`.
 */
export interface ErrorStore {
  /** The entity's error groups seen since `lastSeenFrom`, or those with the given ids. */
  getErrorGroupRecords(
    entityRef: string,
    filter: { lastSeenFrom?: number; ids?: number[] },
  ): Promise<ErrorGroupRecord[]>;
  /** Hourly counts per error group of the entity, bucket starts in the range. */
  getErrorBuckets(
    entityRef: string,
    range: TimeRange,
  ): Promise<ErrorBucketRecord[]>;
  /** Sampled raw events of the groups in the range, oldest first. */
  getErrorSamples(
    groupIds: number[],
    range: TimeRange,
  ): Promise<ErrorSampleRecord[]>;
  /**
   * The hourly counts, from the hour starting at `since` on, of the groups and of the entities
   * (every group seen since `since`), read from the buckets ingestion writes: every backend
   * instance, and one just restarted, sees the same counts.
   */
  hourlyCounts(query: {
    groups: ErrorGroupKey[];
    entityRefs: string[];
    since: number;
  }): Promise<RecentHourlyCounts>;
  /** Entities with an error group seen since `since`. */
  listActiveEntities(since: number): Promise<string[]>;
}
