import {
  type ErrorEventInput,
  type ProductOsSourceStore,
  yieldToEventLoop,
} from '@internal/plugin-product-os-node';

/**
 * Events written per store call inside a transaction, with a turn of the event loop between
 * calls: SQLite's driver is synchronous, and a transaction of 1,000 events written in one call
 * held the loop for over a second.
 */
const EVENTS_PER_WRITE = 100;

interface Pending {
  events: ErrorEventInput[];
  resolve(): void;
  reject(error: unknown): void;
}

/** What one transaction stored. */
export interface RecordedBatch {
  stored: number;
  duplicates: number;
}

/**
 * Records the error events of concurrent requests in shared transactions (a group commit): while
 * one transaction runs, the requests that arrive queue up, and the next transaction takes them
 * all. Under load this turns hundreds of small transactions a second into a few large ones; when
 * idle, a request waits for nothing but its own transaction.
 *
 * Each request still gets all-or-nothing: its promise settles after the transaction holding its
 * events committed or failed. If a shared transaction fails, every request in it is retried in a
 * transaction of its own, so one bad request cannot fail the others.
 */
export class EventBatcher {
  private readonly queue: Pending[] = [];
  private draining = false;

  constructor(
    private readonly options: {
      /** The host's store, which wakes the agent once a transaction commits. */
      store: Pick<ProductOsSourceStore, 'ingest'>;
      /** Events per transaction at most (a request's events are never split). Default 1000. */
      maxEvents?: number;
      onRecorded?(batch: RecordedBatch): void;
    },
  ) {}

  /** Resolves once the events are stored (or recognized as stored before). */
  record(events: ErrorEventInput[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // Requests parsed in the same turn of the event loop share the first transaction too.
        setImmediate(() => this.drain());
      }
    });
  }

  private async drain() {
    try {
      while (this.queue.length > 0) await this.commit(this.take());
    } finally {
      this.draining = false;
    }
  }

  private take(): Pending[] {
    const maxEvents = this.options.maxEvents ?? 1000;
    const batch = [this.queue.shift()!];
    let events = batch[0].events.length;
    while (
      this.queue.length > 0 &&
      events + this.queue[0].events.length <= maxEvents
    ) {
      const next = this.queue.shift()!;
      events += next.events.length;
      batch.push(next);
    }
    return batch;
  }

  private async commit(batch: Pending[]) {
    try {
      await this.write(batch.flatMap(pending => pending.events));
      for (const pending of batch) pending.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      for (const pending of batch) {
        try {
          await this.write(pending.events);
          pending.resolve();
        } catch (ownError) {
          pending.reject(ownError);
        }
      }
    }
  }

  private async write(events: ErrorEventInput[]) {
    const { result } = await this.options.store.ingest(
      { source: 'sentry' },
      async writer => {
        const total = { stored: 0, duplicates: 0 };
        for (let i = 0; i < events.length; i += EVENTS_PER_WRITE) {
          if (i > 0) await yieldToEventLoop();
          const part = await writer.recordErrorEvents(
            events.slice(i, i + EVENTS_PER_WRITE),
          );
          total.stored += part.stored;
          total.duplicates += part.duplicates;
        }
        return total;
      },
    );
    if (result) this.options.onRecorded?.(result);
  }
}
