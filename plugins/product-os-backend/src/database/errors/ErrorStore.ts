import type {
  ErrorGroupStatus,
  SourceId,
  StackFrame,
} from '@internal/plugin-product-os-common';
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
  /** Entities with an error group seen since `since`. */
  listActiveEntities(since: number): Promise<string[]>;
}
