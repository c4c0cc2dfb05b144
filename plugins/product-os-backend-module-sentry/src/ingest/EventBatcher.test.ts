import type {
  ErrorEventInput,
  IngestWriter,
} from '@internal/plugin-product-os-node';
import {
  MockIngestStore,
  mockSourceContext,
} from '@internal/plugin-product-os-node/testUtils';
import { EventBatcher } from './EventBatcher';

function event(
  eventId: string,
  entityRef = 'component:default/checkout-api',
): ErrorEventInput {
  return {
    entityRef,
    source: 'sentry',
    fingerprint: `fp-${eventId}`,
    eventId,
    title: 'Error',
    level: 'error',
    timestamp: 1_795_000_000_000,
    topFrames: [],
  };
}

/** The kit's store, noting the events of each committed transaction; an event named `poison` fails. */
class RecordingStore extends MockIngestStore {
  readonly committed: string[][] = [];

  async ingest<T>(
    options: Parameters<MockIngestStore['ingest']>[0],
    write: (writer: IngestWriter) => Promise<T>,
  ) {
    const written: string[] = [];
    const outcome = await super.ingest(options, writer =>
      write({
        ...writer,
        async recordErrorEvents(events) {
          if (events.some(e => e.eventId === 'poison'))
            throw new Error('value too long');
          written.push(...events.map(e => e.eventId));
          return writer.recordErrorEvents(events);
        },
      }),
    );
    this.committed.push(written);
    return outcome;
  }
}

/** The host's store over a recording one, and the agent's wake-ups. */
function recordingStore() {
  const recording = new RecordingStore();
  const { context, signals } = mockSourceContext({ store: recording });
  const notified = () => signals.map(([entityRef]) => entityRef);
  return { store: context.store, transactions: recording.committed, notified };
}

describe('EventBatcher', () => {
  it('stores the events of concurrent requests in one transaction', async () => {
    const { store, transactions, notified } = recordingStore();
    const recorded: number[] = [];
    const batcher = new EventBatcher({
      store,
      onRecorded: ({ stored }) => recorded.push(stored),
    });

    await Promise.all([
      batcher.record([event('a')]),
      batcher.record([event('b'), event('c')]),
      batcher.record([event('d', 'component:default/billing')]),
    ]);

    expect(transactions).toEqual([['a', 'b', 'c', 'd']]);
    expect(recorded).toEqual([4]);
    // One signal per entity with new groups, not one per group.
    expect(notified()).toEqual([
      'component:default/checkout-api',
      'component:default/billing',
    ]);
  });

  it('queues requests that arrive during a transaction for the next one', async () => {
    const { store, transactions } = recordingStore();
    const batcher = new EventBatcher({
      store,
    });
    const first = batcher.record([event('a')]);
    await new Promise(resolve => setImmediate(resolve));
    await Promise.all([
      first,
      batcher.record([event('b')]),
      batcher.record([event('c')]),
    ]);
    expect(transactions).toEqual([['a'], ['b', 'c']]);
  });

  it('keeps a transaction under maxEvents without splitting a request', async () => {
    const { store, transactions } = recordingStore();
    const batcher = new EventBatcher({
      store,
      maxEvents: 3,
    });
    await Promise.all([
      batcher.record([event('a'), event('b')]),
      batcher.record([event('c'), event('d')]),
      batcher.record([event('e')]),
    ]);
    expect(transactions).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
  });

  it('fails only the request whose events fail, storing the others on their own', async () => {
    const { store, transactions, notified } = recordingStore();
    const batcher = new EventBatcher({ store });

    const results = await Promise.allSettled([
      batcher.record([event('a')]),
      batcher.record([event('b'), event('poison')]),
      batcher.record([event('c')]),
    ]);

    expect(results.map(r => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe(
      'value too long',
    );
    // The failed shared transaction stored nothing; then each request got its own.
    expect(transactions).toEqual([['a'], ['c']]);
    expect(notified()).toEqual([
      'component:default/checkout-api',
      'component:default/checkout-api',
    ]);
  });

  it('writes a large transaction in parts, giving the event loop turns between them', async () => {
    const { store, transactions } = recordingStore();
    const batcher = new EventBatcher({
      store,
    });
    // SQLite's driver is synchronous: one call writing 1,000 events held the loop throughout.
    let turns = 0;
    let writing = true;
    const turn = () => {
      if (!writing) return;
      turns += 1;
      setImmediate(turn);
    };
    const events = Array.from({ length: 1000 }, (_, i) => event(`e${i}`));
    const recorded = batcher.record(events);
    setImmediate(turn);
    await recorded;
    writing = false;
    // Still one transaction (all or nothing), with all the events.
    expect(transactions).toHaveLength(1);
    expect(transactions[0]).toHaveLength(1000);
    expect(turns).toBeGreaterThanOrEqual(9);
  });
});
