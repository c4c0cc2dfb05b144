import { MockIngestStore } from './MockIngestStore';

const API = 'component:default/checkout-api';

describe('MockIngestStore', () => {
  it('reads an error hour as the larger of the events pushed and the count pulled, as the real store', async () => {
    const store = new MockIngestStore();
    const HOUR = 3_600_000;
    const group = {
      entityRef: API,
      source: 'sentry' as const,
      fingerprint: 'sentry-issue:1',
    };
    const pulled = await store.ingest({ source: 'sentry' }, writer =>
      writer.recordErrorCounts([{ ...group, hours: [] }]),
    );
    expect(pulled.result?.unknownGroups).toEqual([group]);
    await store.ingest({ source: 'sentry' }, writer =>
      writer.recordErrorEvents(
        ['a', 'b'].map(eventId => ({
          ...group,
          eventId,
          title: 'TypeError',
          level: 'error',
          timestamp: 10 * HOUR + 60_000,
          topFrames: [],
        })),
      ),
    );
    const counts = (count: number) =>
      store.ingest({ source: 'sentry' }, writer =>
        writer.recordErrorCounts([
          { ...group, hours: [{ bucketStart: 10 * HOUR, count }], total: 9 },
        ]),
      );
    expect((await counts(5)).result?.raised).toEqual([group]);
    expect((await counts(3)).result?.raised).toEqual([]);
    expect(store.errorBuckets).toEqual([
      { ...group, bucketStart: 10 * HOUR, pushed: 2, pulled: 5, count: 5 },
    ]);
    expect(store.errorGroups[0].count).toBe(9);
  });

  it('keeps nothing of a transaction whose write throws, and skips a delivery seen before', async () => {
    const store = new MockIngestStore();
    await expect(
      store.ingest({ source: 'github', deliveryId: 'd-1' }, async writer => {
        await writer.upsertChangeEvents([
          {
            entityRef: API,
            source: 'github',
            kind: 'commit',
            externalId: 'abc',
            title: 'Fix',
            occurredAt: 1,
          },
        ]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(store.changes).toEqual([]);

    const write = () =>
      store.ingest({ source: 'github', deliveryId: 'd-1' }, async writer =>
        writer.upsertChangeEvents([
          {
            entityRef: API,
            source: 'github',
            kind: 'commit',
            externalId: 'abc',
            title: 'Fix',
            occurredAt: 1,
          },
        ]),
      );
    expect(await write()).toEqual({ duplicate: false, result: undefined });
    expect(await write()).toEqual({ duplicate: true });
    expect(store.changes).toHaveLength(1);
    expect(store.transactions).toBe(1);
  });

  it('counts an event id once and reports the groups it created', async () => {
    const store = new MockIngestStore();
    const event = {
      entityRef: API,
      source: 'posthog' as const,
      fingerprint: 'fp',
      eventId: 'e-1',
      title: 'RangeError',
      level: 'error',
      timestamp: 1,
      topFrames: [],
    };
    const first = await store.ingest({ source: 'posthog' }, w =>
      w.recordErrorEvents([event, { ...event, eventId: 'e-2' }]),
    );
    expect(first.result).toEqual({
      stored: 2,
      duplicates: 0,
      newGroups: [{ entityRef: API, source: 'posthog', fingerprint: 'fp' }],
    });
    const again = await store.ingest({ source: 'posthog' }, w =>
      w.recordErrorEvents([event]),
    );
    expect(again.result).toEqual({ stored: 0, duplicates: 1, newGroups: [] });
    expect(store.errorGroups).toEqual([
      expect.objectContaining({ fingerprint: 'fp', count: 2 }),
    ]);
  });

  it('sums metric hours and gathers their users, as the store adds them up', async () => {
    const store = new MockIngestStore();
    const point = { entityRef: API, metric: 'checkout', bucketStart: 0 };
    await store.ingest({ source: 'posthog' }, w =>
      w.recordMetricPoints([
        { ...point, count: 3, userKeys: ['a', 'b'] },
        { ...point, count: 0, userKeys: ['b', 'c'] },
      ]),
    );
    expect(store.metricPoints).toEqual([
      { ...point, count: 3, userKeys: ['a', 'b', 'c'] },
    ]);
  });

  it('reads a pushed and pulled hour as the larger of the two, as the store does', async () => {
    const store = new MockIngestStore();
    const point = { entityRef: API, metric: 'checkout', bucketStart: 0 };
    await store.ingest({ source: 'posthog' }, w =>
      w.recordMetricPoints([{ ...point, count: 3, userKeys: ['a'] }]),
    );
    const pull = () =>
      store.ingest({ source: 'posthog' }, w =>
        w.setPulledMetricPoints([{ ...point, count: 5, users: 2 }]),
      );
    await pull();
    await pull();
    expect(store.metricPoints).toEqual([
      { ...point, count: 5, userKeys: ['a'], pulled: { count: 5, users: 2 } },
    ]);
    await store.ingest({ source: 'posthog' }, w =>
      w.recordMetricPoints([{ ...point, count: 4, userKeys: ['b'] }]),
    );
    expect(store.metricPoints[0].count).toBe(7);
  });

  it("moves a sync's cursor on success, keeps it on failure, and clears the error on success", async () => {
    const store = new MockIngestStore();
    await store.saveSyncState({
      source: 'github',
      scope: 'acme/shop',
      at: 10,
      cursor: 'page-2',
    });
    await store.saveSyncState({
      source: 'github',
      scope: 'acme/shop',
      at: 20,
      error: 'rate limited',
    });
    expect(await store.getSyncState('github', 'acme/shop')).toEqual({
      source: 'github',
      scope: 'acme/shop',
      cursor: 'page-2',
      lastSuccessAt: 10,
      lastError: 'rate limited',
      lastErrorAt: 20,
    });
    await store.saveSyncState({ source: 'github', scope: 'acme/shop', at: 30 });
    expect(await store.getSyncState('github', 'acme/shop')).toMatchObject({
      cursor: 'page-2',
      lastSuccessAt: 30,
      lastError: undefined,
    });
  });
});
