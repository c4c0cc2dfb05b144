import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AnnotatedEntity,
  EntityChangeListener,
  EntityResolver,
  IngestNotifier,
} from '../entities';
import type { ProductOsSourceStore } from '../sourceStore';
import type { ProductOsIngestStore } from '../store';
import type { ErrorRiseCheck } from './ErrorRiseCheck';
import { trackWrites, TrackedWrites } from './trackWrites';

/** What the host's ingest tail is made of. @public */
export interface SourceStoreOptions {
  store: ProductOsIngestStore;
  entities: EntityResolver;
  notifier: IngestNotifier;
  /** Judges sharp rises of the errors just stored; without it, none is signalled. */
  riseCheck?: ErrorRiseCheck;
  /** Where a failed rise check is reported (it never fails the delivery). */
  logger?: LoggerService;
  /** Told which entities' data each committed write changed (the pages' live updates). */
  changes?: EntityChangeListener;
}

const HOUR_MS = 3_600_000;

/**
 * The newest hour of metric data written per entity by this store. A metric drop is judged on
 * complete hours only, so the data that reveals one is the first of the hour after it: that
 * delivery wakes the agent (once per entity and hour), rather than the next scheduled run up
 * to 15 minutes later. An entity this instance has not seen yet counts as advanced: the hours
 * before it may have closed while it was down.
 */
class NewestMetricHours {
  private readonly newest = new Map<string, number>();

  /** The entities whose newest hour is later than before; remembers the new ones. */
  advanced(written: ReadonlyMap<string, number>): string[] {
    const advanced: string[] = [];
    for (const [entityRef, hour] of written) {
      const known = this.newest.get(entityRef);
      if (known !== undefined && hour <= known) continue;
      this.newest.set(entityRef, hour);
      advanced.push(entityRef);
    }
    if (this.newest.size > 10_000)
      this.forgetBefore(Math.max(...written.values()) - 24 * HOUR_MS);
    return advanced;
  }

  private forgetBefore(hour: number) {
    for (const [entityRef, newest] of this.newest)
      if (newest < hour) this.newest.delete(entityRef);
  }
}

/**
 * The store a source module is given: the host's ingest tail around the Product OS store. It
 * finds the entities that claim a delivery and counts those nobody claims, and once a write has
 * committed it wakes the agent: for new error groups, for errors that rose sharply, for metric
 * data of a new hour, and for what the module signalled; and it tells `changes` whose data changed. The backend and the test kit build a source's store with it, so a module
 * tested with the kit meets the same tail as in production.
 *
 * @public
 */
export function createSourceStore(
  options: SourceStoreOptions,
): ProductOsSourceStore {
  const { store, entities, notifier, riseCheck, logger, changes } = options;
  const metricHours = new NewestMetricHours();

  async function afterCommit(tracked: TrackedWrites) {
    if (changes && tracked.changed.size > 0) {
      try {
        changes.entitiesChanged(tracked.changed);
      } catch (error) {
        // The delivery is stored; a page that misses this update catches up at its next load.
        logger?.warn('Could not announce changed entities', {
          error: String(error),
        });
      }
    }
    for (const entityRef of tracked.newGroups)
      notifier.notify(entityRef, 'new_error_group');
    for (const entityRef of metricHours.advanced(tracked.metricHours))
      notifier.notify(entityRef, 'metric_hour_closed');
    for (const { entityRef, reason } of tracked.signals.values())
      notifier.notify(entityRef, reason);
    if (!riseCheck || tracked.errorGroups.size === 0) return;
    try {
      const risen = await riseCheck.risen(
        [...tracked.errorGroups.values()],
        tracked.errorEvents,
      );
      for (const entityRef of risen) notifier.notify(entityRef, 'error_rise');
    } catch (error) {
      // The delivery is stored; a rise missed now is found by the agent's next scheduled run.
      logger?.warn('Could not check for a sharp rise of errors', {
        error: String(error),
      });
    }
  }

  return {
    async claim(claim) {
      const byRef = new Map<string, AnnotatedEntity>();
      for (const value of new Set(claim.values)) {
        for (const entity of await entities.findEntitiesByAnnotation(
          claim.annotation,
          value,
        ))
          byRef.set(entity.entityRef, entity);
      }
      if (byRef.size === 0) {
        await store.recordUnmapped(claim.source, claim.unmappedKey, claim.at);
        return [];
      }
      return [...byRef.values()];
    },
    async ingest(ingestOptions, write) {
      let tracked: TrackedWrites | undefined;
      const outcome = await store.ingest(ingestOptions, transaction => {
        const tracking = trackWrites(transaction);
        tracked = tracking.tracked;
        return write(tracking.writer);
      });
      // Only after the commit: a signal for a write that was rolled back would send the agent
      // looking for nothing.
      if (!outcome.duplicate && tracked) await afterCommit(tracked);
      return outcome;
    },
    getSyncState: (source, scope) => store.getSyncState(source, scope),
    saveSyncState: state => store.saveSyncState(state),
  };
}
