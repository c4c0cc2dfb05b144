import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  entityChannel,
  type EntityChangedMessage,
  type EntityTopic,
} from '@internal/plugin-product-os-common';
import type { EntityChangeListener } from '@internal/plugin-product-os-node';

/** The timers the signals are spaced with; tests drive them by hand. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: handle => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface EntityState {
  /** Topics changed since the last signal, to be sent when the interval is over. */
  pending: Set<EntityTopic>;
  /** Set while the interval after a signal runs. */
  timer?: unknown;
}

/**
 * Publishes a Backstage signal on an entity's channel (`entityChannel`) when what its page
 * shows changed: errors, changes, incidents or metrics stored, an anomaly recorded or closed, a
 * diagnosis written or reviewed. The first change is sent at once; further changes within
 * `minIntervalMs` are gathered and sent once when it ends, so a busy service's page loads again
 * at most once an interval however many events arrive. The message names the entity and the
 * topics only (see `EntityChangedMessage`).
 */
export class EntityChangeSignals implements EntityChangeListener {
  private readonly entities = new Map<string, EntityState>();
  private readonly timers: Timers;

  constructor(
    private readonly options: {
      signals: SignalsService;
      minIntervalMs: number;
      logger: LoggerService;
      timers?: Timers;
    },
  ) {
    this.timers = options.timers ?? realTimers;
  }

  entitiesChanged(changes: ReadonlyMap<string, ReadonlySet<EntityTopic>>) {
    for (const [entityRef, topics] of changes) this.changed(entityRef, topics);
  }

  /** Notes that `topics` of the entity changed; publishes now or at the end of the interval. */
  changed(entityRef: string, topics: Iterable<EntityTopic>): void {
    const key = entityRef.toLocaleLowerCase('en-US');
    const state = this.entities.get(key);
    if (state) {
      for (const topic of topics) state.pending.add(topic);
      return;
    }
    this.publish(entityRef, new Set(topics));
    this.startInterval(key, entityRef);
  }

  /** Drops what is pending (at shutdown). */
  stop(): void {
    for (const state of this.entities.values())
      if (state.timer !== undefined) this.timers.clearTimeout(state.timer);
    this.entities.clear();
  }

  private startInterval(key: string, entityRef: string) {
    const state: EntityState = { pending: new Set() };
    this.entities.set(key, state);
    state.timer = this.timers.setTimeout(() => {
      this.entities.delete(key);
      if (state.pending.size === 0) return;
      this.publish(entityRef, state.pending);
      this.startInterval(key, entityRef);
    }, this.options.minIntervalMs);
  }

  private publish(entityRef: string, topics: Set<EntityTopic>) {
    const message: EntityChangedMessage = { entityRef, topics: [...topics] };
    this.options.signals
      .publish({
        recipients: { type: 'broadcast' },
        channel: entityChannel(entityRef),
        message,
      })
      .catch(error =>
        // A page that misses this signal is updated by the next one, or when it is opened.
        this.options.logger.warn('Could not publish a live update', {
          entityRef,
          error: String(error),
        }),
      );
  }
}
