import type {
  ChangeEventInput,
  ErrorCountsInput,
  ErrorEventInput,
  ErrorGroupStatusInput,
  IncidentInput,
  IncidentTimelineInput,
  MetricPointInput,
  PulledMetricPointInput,
} from '@internal/plugin-product-os-node';
import { Column, columns } from './columns';

/*
 * Every record a source writes, fitted to the columns it is stored in (see `columns.ts`) before
 * anything else happens to it: grouping, deduplication and lookups then see exactly the values
 * that will be stored, so two inputs that fit to one value are one row on both engines.
 */

function fit<In, Out>(
  col: Column<In, Out>,
  value: In | undefined,
  field: string,
): Out | undefined {
  return value === undefined || value === null
    ? undefined
    : col.fit(value, field);
}

/**
 * An error event fitted to its columns; its payload and top frames are already the JSON that is
 * stored.
 */
export type FittedErrorEvent = Omit<
  ErrorEventInput,
  'payload' | 'topFrames'
> & {
  topFramesJson: string;
  payloadJson?: string;
};

export function fitErrorEvent(e: ErrorEventInput): FittedErrorEvent {
  const g = columns.error_groups;
  const ev = columns.error_events;
  return {
    entityRef: g.entity_ref.fit(e.entityRef, 'entityRef'),
    source: g.source.fit(e.source, 'source') as ErrorEventInput['source'],
    fingerprint: g.fingerprint.fit(e.fingerprint, 'error fingerprint'),
    eventId: ev.event_id.fit(e.eventId, 'error event id'),
    title: g.title.fit(e.title ?? '', 'error title'),
    culprit: fit(g.culprit, e.culprit, 'error culprit'),
    level: g.level.fit(e.level ?? 'error', 'error level'),
    timestamp: ev.timestamp.fit(e.timestamp, 'error timestamp'),
    release: fit(ev.release, e.release, 'error release'),
    environment: fit(ev.environment, e.environment, 'error environment'),
    // Frames are stored as JSON and read back whole, so they are cleaned like any JSON.
    topFramesJson: g.top_frames.fit(e.topFrames ?? [], 'stack frames'),
    permalink: fit(g.permalink, e.permalink, 'error permalink'),
    userKey: fit(columns.error_users.user_key, e.userKey, 'error user key'),
    payloadJson:
      e.payload === undefined
        ? undefined
        : ev.payload.fit(e.payload, 'error event payload'),
  };
}

export function fitErrorCounts(input: ErrorCountsInput): ErrorCountsInput {
  const g = columns.error_groups;
  const b = columns.error_buckets;
  return {
    entityRef: g.entity_ref.fit(input.entityRef, 'entityRef'),
    source: g.source.fit(input.source, 'source') as ErrorCountsInput['source'],
    fingerprint: g.fingerprint.fit(input.fingerprint, 'error fingerprint'),
    hours: input.hours.map(hour => ({
      bucketStart: b.bucket_start.fit(hour.bucketStart, 'error count hour'),
      count: b.pulled.fit(hour.count, 'error count'),
    })),
    total: fit(g.event_count, input.total, 'error total'),
    lastSeen: fit(g.last_seen, input.lastSeen, 'error last seen'),
  };
}

export function fitErrorGroupStatus(
  input: ErrorGroupStatusInput,
): ErrorGroupStatusInput {
  const g = columns.error_groups;
  return {
    entityRef: g.entity_ref.fit(input.entityRef, 'entityRef'),
    source: g.source.fit(input.source, 'source') as ErrorEventInput['source'],
    fingerprint: g.fingerprint.fit(input.fingerprint, 'error fingerprint'),
    status: input.status,
    at: g.resolved_at.fit(input.at, 'error group status time'),
    title: fit(g.title, input.title, 'error title'),
    permalink: fit(g.permalink, input.permalink, 'error permalink'),
  };
}

export function fitChangeEvent(change: ChangeEventInput): ChangeEventInput {
  const c = columns.change_events;
  return {
    entityRef: c.entity_ref.fit(change.entityRef, 'entityRef'),
    source: c.source.fit(change.source, 'source') as ChangeEventInput['source'],
    kind: c.kind.fit(change.kind, 'change kind') as ChangeEventInput['kind'],
    externalId: c.external_id.fit(change.externalId, 'change id'),
    title: c.title.fit(change.title ?? '', 'change title'),
    author: fit(c.author, change.author, 'change author'),
    sha: fit(c.sha, change.sha, 'change sha'),
    number: fit(c.number, change.number, 'change number'),
    environment: fit(c.environment, change.environment, 'change environment'),
    status: fit(c.status, change.status, 'change status'),
    url: fit(c.url, change.url, 'change url'),
    occurredAt: c.occurred_at.fit(change.occurredAt, 'change time'),
    finishedAt: fit(c.finished_at, change.finishedAt, 'change finish time'),
    files:
      change.files === undefined
        ? undefined
        : JSON.parse(c.files.fit(change.files, 'changed files')),
    firstCommitAt: fit(
      c.first_commit_at,
      change.firstCommitAt,
      'first commit time',
    ),
  };
}

export function fitIncidentKey(key: {
  source: string;
  externalId: string;
  entityRef?: string;
}) {
  const i = columns.incidents;
  return {
    source: i.source.fit(key.source, 'source'),
    externalId: i.external_id.fit(key.externalId, 'incident id'),
    entityRef: fit(i.entity_ref, key.entityRef, 'entityRef'),
  };
}

export function fitIncident(incident: IncidentInput): IncidentInput {
  const i = columns.incidents;
  return {
    ...fitIncidentKey(incident),
    entityRef: i.entity_ref.fit(incident.entityRef, 'entityRef'),
    source: incident.source,
    title: i.title.fit(incident.title ?? '', 'incident title'),
    urgency: fit(i.urgency, incident.urgency, 'incident urgency'),
    priority: fit(i.priority, incident.priority, 'incident priority'),
    status: i.status.fit(
      incident.status,
      'incident status',
    ) as IncidentInput['status'],
    createdAt: i.created_at.fit(incident.createdAt, 'incident created time'),
    acknowledgedAt: fit(
      i.acknowledged_at,
      incident.acknowledgedAt,
      'incident acknowledged time',
    ),
    resolvedAt: fit(
      i.resolved_at,
      incident.resolvedAt,
      'incident resolved time',
    ),
    assignees:
      incident.assignees === undefined
        ? undefined
        : JSON.parse(i.assignees.fit(incident.assignees, 'incident assignees')),
    url: fit(i.url, incident.url, 'incident url'),
  };
}

export function fitTimelineEntry(
  entry: IncidentTimelineInput,
): IncidentTimelineInput {
  const t = columns.incident_events;
  return {
    externalId: t.external_id.fit(entry.externalId, 'incident log entry id'),
    type: t.type.fit(entry.type, 'incident log entry type'),
    message: t.message.fit(entry.message ?? '', 'incident log entry message'),
    actor: fit(t.actor, entry.actor, 'incident log entry actor'),
    occurredAt: t.occurred_at.fit(entry.occurredAt, 'incident log entry time'),
  };
}

export function fitMetricPoint(point: MetricPointInput): MetricPointInput {
  const m = columns.metric_points;
  return {
    entityRef: m.entity_ref.fit(point.entityRef, 'entityRef'),
    metric: m.metric.fit(point.metric, 'metric name'),
    bucketStart: m.bucket_start.fit(point.bucketStart, 'metric time'),
    count: m.count.fit(point.count, 'metric count'),
    userKeys: point.userKeys?.map(userKey =>
      columns.metric_users.user_key.fit(userKey, 'metric user key'),
    ),
  };
}

export function fitPulledMetricPoint(
  point: PulledMetricPointInput,
): PulledMetricPointInput {
  const m = columns.metric_points;
  return {
    entityRef: m.entity_ref.fit(point.entityRef, 'entityRef'),
    metric: m.metric.fit(point.metric, 'metric name'),
    bucketStart: m.bucket_start.fit(point.bucketStart, 'metric time'),
    count: m.pulled_count.fit(point.count, 'pulled metric count'),
    users: m.pulled_users.fit(point.users, 'pulled metric users'),
  };
}
