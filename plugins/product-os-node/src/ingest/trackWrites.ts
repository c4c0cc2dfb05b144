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
  /** What the module asked for with `signal`, by `entityRef reason`. */
  signals: Map<string, { entityRef: string; reason: IngestSignalReason }>;
}

/** The module's writer: the transaction's own, noting what the host acts on after the commit. */
export function trackWrites(writer: IngestWriter): {
  writer: DeliveryWriter;
  tracked: TrackedWrites;
} {
  const tracked: TrackedWrites = {
    newGroups: new Set(),
    errorGroups: new Map(),
    signals: new Map(),
  };
  const tracking: DeliveryWriter = {
    async recordErrorEvents(events: ErrorEventInput[]) {
      const result = await writer.recordErrorEvents(events);
      for (const group of result.newGroups ?? [])
        tracked.newGroups.add(group.entityRef);
      if (result.stored > 0) {
        for (const { entityRef, source, fingerprint } of events) {
          tracked.errorGroups.set(
            `${entityRef}\u0000${source}\u0000${fingerprint}`,
            { entityRef, source, fingerprint },
          );
        }
      }
      return result;
    },
    async recordErrorCounts(counts) {
      const result = await writer.recordErrorCounts(counts);
      // A pull that raised an hour is judged for a sharp rise like pushed events.
      for (const group of result.raised) {
        const { entityRef, source, fingerprint } = group;
        tracked.errorGroups.set(
          `${entityRef}\u0000${source}\u0000${fingerprint}`,
          { entityRef, source, fingerprint },
        );
      }
      return result;
    },
    updateErrorGroupStatus: input => writer.updateErrorGroupStatus(input),
    upsertChangeEvents: changes => writer.upsertChangeEvents(changes),
    findIncidents: key => writer.findIncidents(key),
    findIncidentTimeline: key => writer.findIncidentTimeline(key),
    upsertIncident: (incident, timeline) =>
      writer.upsertIncident(incident, timeline),
    recordMetricPoints: points => writer.recordMetricPoints(points),
    setPulledMetricPoints: points => writer.setPulledMetricPoints(points),
    signal(entityRef, reason) {
      tracked.signals.set(`${entityRef}\u0000${reason}`, { entityRef, reason });
    },
  };
  return { writer: tracking, tracked };
}
