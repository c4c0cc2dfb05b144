import { mockServices } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import { DefaultSignalsService } from '@backstage/plugin-signals-node';
import type { EntityChangedMessage } from '@internal/plugin-product-os-common';
import { EntityChangeSignals, Timers } from './EntityChangeSignals';

/** Timers the test fires by hand: no test waits for a real interval. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: Timers = {
    setTimeout: fn => {
      next += 1;
      pending.set(next, fn);
      return next;
    },
    clearTimeout: handle => pending.delete(handle as number),
  };
  /** Runs every timer due now (the end of each running interval). */
  const endIntervals = () => {
    const due = [...pending.entries()];
    pending.clear();
    due.forEach(([, fn]) => fn());
  };
  return { timers, endIntervals, pending };
}

describe('EntityChangeSignals', () => {
  /** The real signals service on the real (in-process) events service, and what it published. */
  async function setUp() {
    const logger = mockServices.logger.mock();
    const events = DefaultEventsService.create({ logger });
    const published: Array<{ channel: string; message: EntityChangedMessage }> =
      [];
    await events.subscribe({
      id: 'test',
      topics: ['signals'],
      onEvent: async ({ eventPayload }) => {
        published.push(eventPayload as any);
      },
    });
    const clock = manualTimers();
    const signals = new EntityChangeSignals({
      signals: DefaultSignalsService.create({ events }),
      minIntervalMs: 10_000,
      logger,
      timers: clock.timers,
    });
    // Publishing is asynchronous; let it reach the subscriber.
    const settle = () => new Promise(resolve => setImmediate(resolve));
    return { signals, published, clock, settle };
  }

  it('sends the first change at once and gathers the rest of the interval into one signal', async () => {
    const { signals, published, clock, settle } = await setUp();
    const api = 'component:default/checkout-api';

    signals.changed(api, ['errors']);
    await settle();
    expect(published).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'product-os:entity:component:default/checkout-api',
        message: { entityRef: api, topics: ['errors'] },
      },
    ]);

    // Within the interval: nothing more goes out, whatever arrives.
    signals.changed(api, ['errors']);
    signals.changed('Component:default/Checkout-API', ['diagnoses']);
    signals.changed('component:default/ledger', ['incidents']);
    await settle();
    expect(published.map(p => p.message)).toEqual([
      { entityRef: api, topics: ['errors'] },
      { entityRef: 'component:default/ledger', topics: ['incidents'] },
    ]);

    // The interval ends: what gathered goes out once, and a new interval starts.
    clock.endIntervals();
    await settle();
    expect(published.slice(2).map(p => p.message)).toEqual([
      { entityRef: api, topics: ['errors', 'diagnoses'] },
    ]);

    // A quiet interval sends nothing and ends the pacing: the next change goes out at once.
    clock.endIntervals();
    await settle();
    expect(published).toHaveLength(3);
    expect(clock.pending.size).toBe(0);
    signals.changed(api, ['anomalies']);
    await settle();
    expect(published.at(-1)?.message).toEqual({
      entityRef: api,
      topics: ['anomalies'],
    });
  });

  it('drops what is pending when stopped', async () => {
    const { signals, published, clock, settle } = await setUp();
    signals.changed('component:default/checkout-api', ['errors']);
    signals.changed('component:default/checkout-api', ['metrics']);
    signals.stop();
    expect(clock.pending.size).toBe(0);
    await settle();
    expect(published).toHaveLength(1);
  });
});
