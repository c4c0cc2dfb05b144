import type {
  ChangeKind,
  ErrorGroupStatus,
  IncidentStatus,
  SourceId,
  StackFrame,
} from '@internal/plugin-product-os-common';

/*
 * What a source module writes. Times are epoch milliseconds; every record names the catalog
 * entity it belongs to and the identifier its source gave it, so writing it twice keeps one row.
 */

/** One error event as it arrived, already fingerprinted. @public */
export interface ErrorEventInput {
  entityRef: string;
  source: SourceId;
  fingerprint: string;
  /** The sender's event id; a second event with the same id is ignored. */
  eventId: string;
  title: string;
  culprit?: string;
  level: string;
  timestamp: number;
  release?: string;
  environment?: string;
  /** In-app frames nearest the top of the stack, most recent call first. */
  topFrames: StackFrame[];
  permalink?: string;
  /** An opaque user identifier (hashed by the caller), to count affected users. */
  userKey?: string;
  /** The event as kept in the bounded sample (trimmed by the caller). */
  payload?: unknown;
}

/**
 * An error group's events per hour as its source counted them (a pull from the vendor's API),
 * rather than events one by one. See {@link IngestWriter.recordErrorCounts} for how they meet
 * the events pushed to the same group. @public
 */
export interface ErrorCountsInput {
  entityRef: string;
  source: SourceId;
  fingerprint: string;
  /** Hours (start of the hour, epoch ms) with the number of events the source counted in each. */
  hours: Array<{ bucketStart: number; count: number }>;
  /** The group's total as the source counts it (e.g. a Sentry issue's `count`). */
  total?: number;
  /** When the source last saw an event of the group, epoch ms. */
  lastSeen?: number;
}

/** A status change of an error group reported by its source (e.g. a Sentry issue webhook). @public */
export interface ErrorGroupStatusInput {
  entityRef: string;
  source: SourceId;
  fingerprint: string;
  status: ErrorGroupStatus;
  at: number;
  title?: string;
  permalink?: string;
}

/** A commit, pull request, deployment, release or change event. @public */
export interface ChangeEventInput {
  entityRef: string;
  source: SourceId;
  kind: ChangeKind;
  externalId: string;
  title: string;
  author?: string;
  sha?: string;
  number?: number;
  environment?: string;
  status?: string;
  url?: string;
  occurredAt: number;
  finishedAt?: number;
  files?: string[];
  /**
   * A merged pull request's first commit (epoch ms), where DORA's lead time for changes starts.
   * A report without it (a webhook delivery) keeps the one stored.
   */
  firstCommitAt?: number;
}

/** An incident as its source reports it now; later reports update the same row. @public */
export interface IncidentInput {
  entityRef: string;
  source: SourceId;
  externalId: string;
  title: string;
  urgency?: string;
  priority?: string;
  status: IncidentStatus;
  createdAt: number;
  acknowledgedAt?: number;
  resolvedAt?: number;
  assignees?: string[];
  url?: string;
}

/** An entry of an incident's timeline, keyed by the source's event id. @public */
export interface IncidentTimelineInput {
  externalId: string;
  type: string;
  message: string;
  actor?: string;
  occurredAt: number;
}

/** Hourly product-analytics counts for one metric. @public */
export interface MetricPointInput {
  entityRef: string;
  metric: string;
  /** Start of the hour, epoch ms. */
  bucketStart: number;
  count: number;
  /** Opaque (hashed) user identifiers seen in this hour, for distinct-user counts. */
  userKeys?: string[];
}

/**
 * An hour of a metric as a vendor's API totals it (a pull), instead of events as they arrive.
 * See {@link IngestWriter.setPulledMetricPoints} for how it meets what was pushed. @public
 */
export interface PulledMetricPointInput {
  entityRef: string;
  metric: string;
  /** Start of the hour, epoch ms. */
  bucketStart: number;
  /** Events in the hour, as the vendor counts them. */
  count: number;
  /** Distinct users in the hour, as the vendor counts them. */
  users: number;
}
