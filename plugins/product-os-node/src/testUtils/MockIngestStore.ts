import type {
  ErrorGroupStatus,
  SourceId,
} from '@internal/plugin-product-os-common';
import type {
  ChangeEventInput,
  ErrorCountsInput,
  ErrorEventInput,
  IncidentInput,
  IncidentTimelineInput,
  MetricPointInput,
  PulledMetricPointInput,
} from '../records';
import type {
  ErrorGroupKey,
  IngestWriter,
  ProductOsIngestStore,
  SyncState,
} from '../store';

/** An error group as the mock keeps it. @public */
export interface MockErrorGroup extends ErrorGroupKey {
  title: string;
  status: ErrorGroupStatus;
  /** Stored events (redeliveries not counted), or the pulled total when that is larger. */
  count: number;
  permalink?: string;
}

/**
 * An hour of an error group as the mock keeps it: the events pushed, the largest pulled count,
 * and the count it reads as (the larger of the two), as the real store. @public
 */
export interface MockErrorBucket extends ErrorGroupKey {
  bucketStart: number;
  pushed: number;
  pulled?: number;
  count: number;
}

/** An incident as the mock keeps it, with its timeline. @public */
export interface MockIncident {
  incident: IncidentInput;
  timeline: IncidentTimelineInput[];
}

/** An hour of a metric as the mock keeps it. @public */
export interface MockMetricPoint {
  entityRef: string;
  metric: string;
  bucketStart: number;
  /** The larger of the pushed sum and the pulled total, as the real store reads the hour. */
  count: number;
  /** The users of pushed events. */
  userKeys: string[];
  /** What the last pull of the hour set, when one did. */
  pulled?: { count: number; users: number };
}

/** Everything the mock holds; a transaction works on a copy and replaces it on commit. */
interface State {
  deliveries: Set<string>;
  eventIds: Set<string>;
  errorEvents: ErrorEventInput[];
  errorGroups: Record<string, MockErrorGroup>;
  errorBuckets: Record<string, MockErrorBucket>;
  changes: Record<string, ChangeEventInput>;
  incidents: Record<string, MockIncident>;
  metricPoints: Record<string, MockMetricPoint>;
  /** The pushed sum of each hour, kept apart from its pulled total. */
  pushedCounts: Record<string, number>;
  unmapped: Record<string, number>;
  syncStates: Record<string, SyncState>;
}

const key = (...parts: (string | number)[]) => parts.join('\u0000');

/**
 * An in-memory Product OS store for testing source modules without a backend: it keeps what a
 * module writes, skips a delivery or an event id seen before, reports new error groups, and
 * stores nothing of a transaction whose write throws, as the real store does. It does not
 * aggregate for reading; tests that need the real store's reads on both engines use the backend's.
 *
 * @public
 */
export class MockIngestStore implements ProductOsIngestStore {
  private state: State = {
    deliveries: new Set(),
    eventIds: new Set(),
    errorEvents: [],
    errorGroups: {},
    errorBuckets: {},
    changes: {},
    incidents: {},
    metricPoints: {},
    pushedCounts: {},
    unmapped: {},
    syncStates: {},
  };

  /** Transactions committed, duplicates not counted. */
  transactions = 0;

  async ingest<T>(
    options: { source: SourceId; deliveryId?: string },
    write: (writer: IngestWriter) => Promise<T>,
  ): Promise<{ duplicate: boolean; result?: T }> {
    const delivery =
      options.deliveryId !== undefined
        ? key(options.source, options.deliveryId)
        : undefined;
    if (delivery && this.state.deliveries.has(delivery))
      return { duplicate: true };
    const draft = structuredClone(this.state);
    const result = await write(writerOf(draft));
    if (delivery) draft.deliveries.add(delivery);
    this.state = draft;
    this.transactions += 1;
    return { duplicate: false, result };
  }

  async recordUnmapped(source: SourceId, unmappedKey: string): Promise<void> {
    const k = `${source}:${unmappedKey}`;
    this.state.unmapped[k] = (this.state.unmapped[k] ?? 0) + 1;
  }

  async getSyncState(
    source: SourceId,
    scope: string,
  ): Promise<SyncState | undefined> {
    return this.state.syncStates[key(source, scope)];
  }

  async saveSyncState(
    update: Parameters<ProductOsIngestStore['saveSyncState']>[0],
  ): Promise<void> {
    const k = key(update.source, update.scope);
    const before = this.state.syncStates[k] ?? {
      source: update.source,
      scope: update.scope,
    };
    this.state.syncStates[k] =
      'error' in update
        ? {
            ...before,
            lastError: update.error,
            lastErrorAt: update.at,
            durationMs: update.durationMs ?? before.durationMs,
          }
        : {
            ...before,
            cursor: update.cursor ?? before.cursor,
            lastSuccessAt: update.at,
            items: update.items ?? before.items,
            durationMs: update.durationMs ?? before.durationMs,
            // As the real store: a success clears the error, not when it happened.
            lastError: undefined,
          };
  }

  /** Stored error events, in the order they were written (redeliveries not kept). */
  get errorEvents(): ErrorEventInput[] {
    return this.state.errorEvents;
  }

  /** Error groups, by entity ref then fingerprint. */
  get errorGroups(): MockErrorGroup[] {
    return Object.values(this.state.errorGroups).sort((a, b) =>
      key(a.entityRef, a.fingerprint) < key(b.entityRef, b.fingerprint)
        ? -1
        : 1,
    );
  }

  /** Hours of error groups with events or pulled counts, oldest first. */
  get errorBuckets(): MockErrorBucket[] {
    return Object.values(this.state.errorBuckets).sort(
      (a, b) => a.bucketStart - b.bucketStart,
    );
  }

  /** Change events as last written. */
  get changes(): ChangeEventInput[] {
    return Object.values(this.state.changes);
  }

  /** Incidents with their timelines. */
  get incidents(): MockIncident[] {
    return Object.values(this.state.incidents);
  }

  /** Metric hours: pushed counts summed and user keys gathered, beside what pulls set. */
  get metricPoints(): MockMetricPoint[] {
    return Object.values(this.state.metricPoints);
  }

  /** Deliveries nobody claims, by `source:key`. */
  get unmapped(): Record<string, number> {
    return { ...this.state.unmapped };
  }
}

function writerOf(state: State): IngestWriter {
  return {
    async recordErrorEvents(events) {
      let stored = 0;
      let duplicates = 0;
      const newGroups: ErrorGroupKey[] = [];
      for (const event of events) {
        const id = key(event.source, event.eventId);
        if (state.eventIds.has(id)) {
          duplicates += 1;
          continue;
        }
        state.eventIds.add(id);
        state.errorEvents.push(event);
        stored += 1;
        const hour = bucketOf(state, event, hourOf(event.timestamp));
        hour.pushed += 1;
        hour.count = Math.max(hour.pushed, hour.pulled ?? 0);
        const groupKey = key(event.entityRef, event.source, event.fingerprint);
        const group = state.errorGroups[groupKey];
        if (group) {
          group.count += 1;
          continue;
        }
        state.errorGroups[groupKey] = {
          entityRef: event.entityRef,
          source: event.source,
          fingerprint: event.fingerprint,
          title: event.title,
          status: 'unresolved',
          count: 1,
          permalink: event.permalink,
        };
        newGroups.push({
          entityRef: event.entityRef,
          source: event.source,
          fingerprint: event.fingerprint,
        });
      }
      return { stored, duplicates, newGroups };
    },
    async recordErrorCounts(counts: ErrorCountsInput[]) {
      const raised: ErrorGroupKey[] = [];
      const unknownGroups: ErrorGroupKey[] = [];
      for (const input of counts) {
        const { entityRef, source, fingerprint } = input;
        const group = state.errorGroups[key(entityRef, source, fingerprint)];
        if (!group) {
          unknownGroups.push({ entityRef, source, fingerprint });
          continue;
        }
        let rose = false;
        for (const { bucketStart, count } of input.hours) {
          const hour = bucketOf(state, group, bucketStart);
          hour.pulled = Math.max(hour.pulled ?? 0, count);
          const reads = Math.max(hour.pushed, hour.pulled);
          rose ||= reads > hour.count;
          hour.count = reads;
        }
        if (input.total !== undefined)
          group.count = Math.max(group.count, input.total);
        if (rose) raised.push({ entityRef, source, fingerprint });
      }
      return { raised, unknownGroups };
    },
    async updateErrorGroupStatus(input) {
      const group =
        state.errorGroups[
          key(input.entityRef, input.source, input.fingerprint)
        ];
      if (!group) return false;
      group.status = input.status;
      if (input.title) group.title = input.title;
      if (input.permalink) group.permalink = input.permalink;
      return true;
    },
    async upsertChangeEvents(changes) {
      for (const change of changes) {
        state.changes[
          key(change.entityRef, change.source, change.kind, change.externalId)
        ] = change;
      }
    },
    async findIncidents({ source, externalId, entityRef }) {
      return Object.values(state.incidents)
        .map(({ incident }) => incident)
        .filter(
          incident =>
            incident.source === source &&
            incident.externalId === externalId &&
            (entityRef === undefined || incident.entityRef === entityRef),
        );
    },
    async findIncidentTimeline({ source, externalId, entityRef }) {
      const stored = state.incidents[key(entityRef, source, externalId)];
      return [...(stored?.timeline ?? [])].sort(
        (a, b) => a.occurredAt - b.occurredAt,
      );
    },
    async upsertIncident(incident, timeline = []) {
      const k = key(incident.entityRef, incident.source, incident.externalId);
      const stored = state.incidents[k] ?? { incident, timeline: [] };
      stored.incident = incident;
      for (const entry of timeline) {
        if (!stored.timeline.some(e => e.externalId === entry.externalId))
          stored.timeline.push(entry);
      }
      state.incidents[k] = stored;
    },
    async recordMetricPoints(points: MetricPointInput[]) {
      for (const point of points) {
        const k = key(point.entityRef, point.metric, point.bucketStart);
        const stored = state.metricPoints[k] ?? {
          entityRef: point.entityRef,
          metric: point.metric,
          bucketStart: point.bucketStart,
          count: 0,
          userKeys: [],
        };
        const pushed = (state.pushedCounts[k] ?? 0) + point.count;
        state.pushedCounts[k] = pushed;
        stored.count = Math.max(pushed, stored.pulled?.count ?? 0);
        for (const userKey of point.userKeys ?? []) {
          if (!stored.userKeys.includes(userKey)) stored.userKeys.push(userKey);
        }
        state.metricPoints[k] = stored;
      }
    },
    async setPulledMetricPoints(points: PulledMetricPointInput[]) {
      for (const point of points) {
        const k = key(point.entityRef, point.metric, point.bucketStart);
        const stored = state.metricPoints[k] ?? {
          entityRef: point.entityRef,
          metric: point.metric,
          bucketStart: point.bucketStart,
          count: 0,
          userKeys: [],
        };
        stored.pulled = { count: point.count, users: point.users };
        stored.count = Math.max(state.pushedCounts[k] ?? 0, point.count);
        state.metricPoints[k] = stored;
      }
    },
  };
}

const HOUR_MS = 3_600_000;

function hourOf(timestamp: number): number {
  return Math.floor(timestamp / HOUR_MS) * HOUR_MS;
}

/** The group's hour, created empty when it has none yet. */
function bucketOf(
  state: State,
  group: ErrorGroupKey,
  bucketStart: number,
): MockErrorBucket {
  const k = key(group.entityRef, group.source, group.fingerprint, bucketStart);
  state.errorBuckets[k] ??= {
    entityRef: group.entityRef,
    source: group.source,
    fingerprint: group.fingerprint,
    bucketStart,
    pushed: 0,
    count: 0,
  };
  return state.errorBuckets[k];
}
