import type {
  ErrorEventInput,
  IngestWriter,
  ProductOsSourceContext,
} from '@internal/plugin-product-os-node';
import type { SentryErrorEvent } from '../events/toErrorEvent';
import { ProjectRef, SentryProjects, unmappedKey } from '../projects';
import { ErrorRiseWatch } from './ErrorRiseWatch';
import { EventBatcher, RecordedBatch } from './EventBatcher';

/** What became of a request's writes. */
export type IngestOutcome<T> =
  | { mapped: false }
  | { mapped: true; duplicate: boolean; result?: T };

/**
 * Writes what a request carries for a Sentry project to the entities that claim the project, in
 * one transaction, and tells the diagnosis agent about error groups it created and about errors
 * that rose sharply ({@link ErrorRiseWatch}). A project no entity claims is counted as unmapped
 * instead.
 */
export class ErrorIngestor {
  private readonly batcher: EventBatcher;
  private readonly riseWatch: ErrorRiseWatch;
  private readonly now: () => number;

  constructor(
    private readonly context: Pick<
      ProductOsSourceContext,
      'store' | 'notifier'
    >,
    private readonly projects: SentryProjects,
    options: {
      now?: () => number;
      onRecorded?(batch: RecordedBatch): void;
    } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.riseWatch = new ErrorRiseWatch(this.now);
    this.batcher = new EventBatcher({
      context,
      onRecorded: options.onRecorded,
      riseWatch: this.riseWatch,
    });
  }

  /**
   * Stores error events for every entity that claims the project. Events of concurrent calls
   * share transactions (see {@link EventBatcher}); each call settles once its events are stored.
   */
  async recordEvents(
    project: ProjectRef,
    events: SentryErrorEvent[],
  ): Promise<{ mapped: boolean }> {
    const entityRefs = await this.projects.entityRefs(project);
    if (entityRefs.length === 0) {
      await this.context.store.recordUnmapped(
        'sentry',
        unmappedKey(project),
        this.now(),
      );
      return { mapped: false };
    }
    await this.batcher.record(forEntities(entityRefs, events));
    return { mapped: true };
  }

  /**
   * Runs `write` in one transaction for the entities that claim `project`; `deliveryId` makes a
   * redelivery a no-op.
   */
  async write<T>(
    project: ProjectRef,
    deliveryId: string | undefined,
    write: (writer: IngestWriter, entityRefs: string[]) => Promise<T>,
  ): Promise<IngestOutcome<T>> {
    const entityRefs = await this.projects.entityRefs(project);
    if (entityRefs.length === 0) {
      await this.context.store.recordUnmapped(
        'sentry',
        unmappedKey(project),
        this.now(),
      );
      return { mapped: false };
    }
    const recorded: Recorded = { newGroups: new Set(), stored: [] };
    const outcome = await this.context.store.ingest(
      { source: 'sentry', deliveryId },
      writer => write(trackRecorded(writer, recorded), entityRefs),
    );
    // Only after the commit: a signal for a group that was rolled back would send the agent
    // looking for nothing.
    for (const entityRef of recorded.newGroups)
      this.context.notifier.notify(entityRef, 'new_error_group');
    for (const { events, share } of recorded.stored) {
      for (const entityRef of this.riseWatch.record(events, share))
        this.context.notifier.notify(entityRef, 'error_rise');
    }
    return { mapped: true, ...outcome };
  }
}

/**
 * The events for each entity. When several entities claim one project, each gets its own copy,
 * whose id names the entity, because event ids are unique per source.
 */
export function forEntities(
  entityRefs: string[],
  events: SentryErrorEvent[],
): ErrorEventInput[] {
  if (entityRefs.length === 1)
    return events.map(event => ({ ...event, entityRef: entityRefs[0] }));
  return entityRefs.flatMap(entityRef =>
    events.map(event => ({
      ...event,
      entityRef,
      eventId: `${event.eventId}:${entityRef}`,
    })),
  );
}

/** What a transaction's error events did, to be signalled once it commits. */
interface Recorded {
  newGroups: Set<string>;
  /** Each write's events and the part of them that was stored (the rest were duplicates). */
  stored: { events: ErrorEventInput[]; share: number }[];
}

function trackRecorded(writer: IngestWriter, recorded: Recorded): IngestWriter {
  return new Proxy(writer, {
    get(target, property, receiver) {
      if (property !== 'recordErrorEvents') {
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (events: ErrorEventInput[]) => {
        const result = await target.recordErrorEvents(events);
        for (const group of result.newGroups ?? [])
          recorded.newGroups.add(group.entityRef);
        if (result.stored > 0)
          recorded.stored.push({
            events,
            share: result.stored / events.length,
          });
        return result;
      };
    },
  });
}
