import type { ErrorEventInput } from '../records';
import { mockSourceContext } from '../testUtils';

const API = 'component:default/checkout-api';
const WEB = 'component:default/web';
const WORKER = 'component:default/worker';

const entities = [
  { entityRef: API, annotations: { 'sentry.io/project-slug': 'checkout-api' } },
  {
    entityRef: WORKER,
    annotations: { 'sentry.io/project-slug': 'acme/shared' },
  },
  { entityRef: WEB, annotations: { 'sentry.io/project-slug': 'shared' } },
];

function event(
  eventId: string,
  fingerprint: string,
  entityRef = API,
): ErrorEventInput {
  return {
    entityRef,
    source: 'sentry',
    fingerprint,
    eventId,
    title: `Error ${fingerprint}`,
    level: 'error',
    timestamp: 1_795_000_000_000,
    topFrames: [],
  };
}

const claim = (values: string[]) => ({
  source: 'sentry' as const,
  annotation: 'sentry.io/project-slug',
  values,
  unmappedKey: values[values.length - 1],
  at: 1_795_000_000_000,
});

describe('createSourceStore', () => {
  it('finds the entities claiming any of the values, each once, and counts a delivery nobody claims', async () => {
    const { context, store } = mockSourceContext({ entities });
    const claimed = await context.store.claim(claim(['shared', 'acme/shared']));
    expect(claimed.map(e => e.entityRef)).toEqual([WEB, WORKER]);
    expect(claimed[0].annotations).toEqual(entities[2].annotations);

    expect(await context.store.claim(claim(['nobody', 'acme/nobody']))).toEqual(
      [],
    );
    expect(store.unmapped).toEqual({ 'sentry:acme/nobody': 1 });
  });

  it('signals a new error group once, after it is stored', async () => {
    const { context, signals } = mockSourceContext({ entities });
    const write = (id: string, fp: string) =>
      context.store.ingest({ source: 'sentry' }, w =>
        w.recordErrorEvents([event(id, fp)]),
      );
    await write('a', 'fp-1');
    expect(signals).toEqual([[API, 'new_error_group']]);
    await write('b', 'fp-1');
    expect(signals).toHaveLength(1);
    await write('c', 'fp-2');
    expect(signals).toHaveLength(2);
  });

  it('signals nothing when the transaction fails, and stores nothing', async () => {
    const { context, signals, store } = mockSourceContext({ entities });
    await expect(
      context.store.ingest({ source: 'sentry' }, async writer => {
        await writer.recordErrorEvents([event('d', 'fp-3')]);
        writer.signal(API, 'incident_triggered');
        throw new Error('database went away');
      }),
    ).rejects.toThrow('database went away');
    expect(signals).toEqual([]);
    expect(store.errorGroups).toEqual([]);
  });

  it('sends what the module signalled once per entity and reason, and nothing for a redelivery', async () => {
    const { context, signals } = mockSourceContext({ entities });
    const deliver = () =>
      context.store.ingest(
        { source: 'pagerduty', deliveryId: 'd-1' },
        async writer => {
          writer.signal(API, 'incident_triggered');
          writer.signal(API, 'incident_triggered');
          writer.signal(WEB, 'incident_triggered');
        },
      );
    expect(await deliver()).toEqual({ duplicate: false, result: undefined });
    expect(await deliver()).toEqual({ duplicate: true });
    expect(signals).toEqual([
      [API, 'incident_triggered'],
      [WEB, 'incident_triggered'],
    ]);
  });

  it('wakes the agent at the first metric data of a later hour, once per entity and hour', async () => {
    const { context, signals } = mockSourceContext({ entities });
    const HOUR = 3_600_000;
    const noon = Date.UTC(2026, 10, 20, 12);
    const points = (entityRef: string, ...hours: number[]) =>
      context.store.ingest({ source: 'posthog' }, w =>
        w.recordMetricPoints(
          hours.map(h => ({
            entityRef,
            metric: 'checkout_completed',
            bucketStart: noon + h * HOUR,
            count: 3,
          })),
        ),
      );
    // The first this store sees of each entity: the hours before may have closed unseen.
    await points(API, 0);
    await points(WEB, -1, 0);
    expect(signals).toEqual([
      [API, 'metric_hour_closed'],
      [WEB, 'metric_hour_closed'],
    ]);
    // More of the same hour, and a late hour before it: nothing new closed.
    await points(API, 0);
    await points(API, -2);
    expect(signals).toHaveLength(2);
    // 13:00's first data: 12:00 is complete.
    await points(API, 1);
    expect(signals).toEqual([
      [API, 'metric_hour_closed'],
      [WEB, 'metric_hour_closed'],
      [API, 'metric_hour_closed'],
    ]);
  });

  it('asks the rise check about the groups that stored events, after the commit', async () => {
    const asked: string[][] = [];
    const { context, signals } = mockSourceContext({
      entities,
      riseCheck: {
        async risen(groups) {
          asked.push(groups.map(g => `${g.entityRef} ${g.fingerprint}`));
          return [API];
        },
      },
    });
    await context.store.ingest({ source: 'sentry' }, w =>
      w.recordErrorEvents([
        event('e', 'fp-1'),
        event('f', 'fp-1'),
        event('g', 'fp-2'),
      ]),
    );
    // Nothing stored (all redeliveries): nothing to judge.
    await context.store.ingest({ source: 'sentry' }, w =>
      w.recordErrorEvents([event('e', 'fp-1')]),
    );
    expect(asked).toEqual([[`${API} fp-1`, `${API} fp-2`]]);
    expect(signals).toEqual([
      [API, 'new_error_group'],
      [API, 'error_rise'],
    ]);
  });

  it('keeps a delivery stored when the rise check fails', async () => {
    const { context, store } = mockSourceContext({
      entities,
      riseCheck: {
        async risen() {
          throw new Error('read timed out');
        },
      },
    });
    await expect(
      context.store.ingest({ source: 'sentry' }, w =>
        w.recordErrorEvents([event('h', 'fp-1')]),
      ),
    ).resolves.toMatchObject({ duplicate: false });
    expect(store.errorEvents).toHaveLength(1);
  });
});
