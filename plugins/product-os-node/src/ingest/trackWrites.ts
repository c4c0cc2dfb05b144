import type { EntityTopic } from '@internal/plugin-product-os-common';
import type { IngestSignalReason } from '../entities';
import type { ErrorEventInput } from '../records';
import type { DeliveryWriter } from '../sourceStore';
import type { ErrorGroupKey, IngestWriter } from '../store';

/** What one transaction wrote that may wake the agent once it commits. */
export interface TrackedWrites {
  /** Entities with a new error group. */
  newGroups: Set<string>;
  /**
   * The groups that stored events went to, or whose pulled counts rose, by
   * `entityRef source fingerprint`.
   */
  errorGroups: Map<string, ErrorGroupKey>;
  /** Events stored per group of {@link TrackedWrites.errorGroups}, by the same key. */
  errorEvents: Map<string, number>;
  /** The newest hour of the metric points written, by entity. */
  metricHours: Map<string, number>;
  /** What the module asked for with `signal`, by `entityRef reason`. */
  signals: Map<string, { entityRef: string; reason: IngestSignalReason }>;
  /** The entities whose data the writes changed, with what changed. */
  changed: Map<string, Set<EntityTopic>>;
}

/** The module's writer: the transaction's own, noting what the host acts on after the commit. */
export function trackWrites(writer: IngestWriter): {
  writer: DeliveryWriter;
  tracked: TrackedWrites;
} {
  const tracked: TrackedWrites = {
    newGroups: new Set(),
    errorGroups: new Map(),
    errorEvents: new Map(),
    metricHours: new Map(),
    signals: new Map(),
    changed: new Map(),
  };
  const touch = (topic: EntityTopic, refs: Iterable<{ entityRef: string }>) => {
    for (const { entityRef } of refs) {
      const topics = tracked.changed.get(entityRef) ?? new Set<EntityTopic>();
      topics.add(topic);
      tracked.changed.set(entityRef, topics);
    }
  };
  const noteGroup = (group: ErrorGroupKey) => {
    const key = `${group.entityRef}\u0000${group.source}\u0000${group.fingerprint}`;
    tracked.errorGroups.set(key, group);
    tracked.errorEvents.set(key, (tracked.errorEvents.get(key) ?? 0) + 1);
  };
  const noteHours = (
    points: Iterable<{ entityRef: string; bucketStart: number }>,
  ) => {
    for (const { entityRef, bucketStart } of points)
      tracked.metricHours.set(
        entityRef,
        Math.max(tracked.metricHours.get(entityRef) ?? -Infinity, bucketStart),
      );
  };
  const tracking: DeliveryWriter = {
    async recordErrorEvents(events: ErrorEventInput[]) {
      const result = await writer.recordErrorEvents(events);
      for (const group of result.newGroups ?? [])
        tracked.newGroups.add(group.entityRef);
      if (result.stored > 0) {
        touch('errors', events);
        for (const { entityRef, source, fingerprint } of events)
          noteGroup({ entityRef, source, fingerprint });
      }
      return result;
    },
    async recordErrorCounts(counts) {
      const result = await writer.recordErrorCounts(counts);
      touch('errors', result.raised);
      // A pull that raised an hour is judged for a sharp rise like pushed events.
      for (const { entityRef, source, fingerprint } of result.raised)
        noteGroup({ entityRef, source, fingerprint });
      return result;
    },
    async updateErrorGroupStatus(input) {
      const known = await writer.updateErrorGroupStatus(input);
      if (known) touch('errors', [input]);
      return known;
    },
    async upsertChangeEvents(changes) {
      await writer.upsertChangeEvents(changes);
      touch('changes', changes);
    },
    findIncidents: key => writer.findIncidents(key),
    findIncidentTimeline: key => writer.findIncidentTimeline(key),
    async upsertIncident(incident, timeline) {
      await writer.upsertIncident(incident, timeline);
      touch('incidents', [incident]);
    },
    async recordMetricPoints(points) {
      await writer.recordMetricPoints(points);
      touch('metrics', points);
      noteHours(points);
    },
    async setPulledMetricPoints(points) {
      await writer.setPulledMetricPoints(points);
      touch('metrics', points);
      noteHours(points);
    },
    signal(entityRef, reason) {
      tracked.signals.set(`${entityRef}\u0000${reason}`, { entityRef, reason });
    },
  };
  return { writer: tracking, tracked };
}
