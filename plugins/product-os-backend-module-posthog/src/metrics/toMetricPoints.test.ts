import type { CapturedEvent } from '../capture/normalizeEvents';
import { sliceMetricPoints } from './sliceMetricPoints';
import { toMetricPoints } from './toMetricPoints';

const HOUR = 3_600_000;
const hour = Date.parse('2026-11-20T12:00:00.000Z');

function event(name: string, distinctId: string, at = hour): CapturedEvent {
  return {
    name,
    distinctId,
    personless: false,
    timestamp: at,
    properties: {},
  };
}

describe('toMetricPoints', () => {
  it('counts 25,000 distinct users in one request, each once', () => {
    // The batch of the finding: 25k distinct ids, each seen twice in the hour.
    const events: CapturedEvent[] = [];
    for (let i = 0; i < 25_000; i++) {
      events.push(event('checkout_completed', `user-${i}`, hour + i));
      events.push(event('checkout_completed', `user-${i}`, hour + i + 1));
    }
    const points = toMetricPoints(
      events,
      'component:default/checkout-web',
      e => `key:${e.distinctId}`,
    );
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({
      metric: 'checkout_completed',
      bucketStart: hour,
      count: 50_000,
    });
    expect(points[0].userKeys).toHaveLength(25_000);
    expect(new Set(points[0].userKeys).size).toBe(25_000);
  });

  it('keeps users per event name and hour, and skips bookkeeping events', () => {
    const points = toMetricPoints(
      [
        event('signup', 'a'),
        event('signup', 'a'),
        event('signup', 'b', hour + HOUR),
        event('$identify', 'a'),
        { ...event('signup', 'c'), personless: true },
      ],
      'component:default/checkout-web',
      e => (e.personless ? undefined : e.distinctId),
    );
    expect(
      points.map(p => [p.bucketStart - hour, p.count, p.userKeys]),
    ).toEqual([
      [0, 3, ['a']],
      [HOUR, 1, ['b']],
    ]);
  });
});

describe('sliceMetricPoints', () => {
  it('cuts points into writes of a bounded number of users that add up to the whole', () => {
    const many = Array.from({ length: 4_500 }, (_, i) => `u${i}`);
    const points = [
      {
        entityRef: 'e',
        metric: 'a',
        bucketStart: hour,
        count: 9_000,
        userKeys: many,
      },
      {
        entityRef: 'e',
        metric: 'b',
        bucketStart: hour,
        count: 3,
        userKeys: ['x'],
      },
      { entityRef: 'e', metric: 'c', bucketStart: hour, count: 2 },
    ];
    const parts = sliceMetricPoints(points, 2_000);
    for (const part of parts) {
      expect(
        part.reduce((n, p) => n + (p.userKeys?.length ?? 0), 0),
      ).toBeLessThanOrEqual(2_000);
    }
    const all = parts.flat();
    for (const metric of ['a', 'b', 'c']) {
      const pieces = all.filter(p => p.metric === metric);
      const original = points.find(p => p.metric === metric)!;
      expect(pieces.reduce((n, p) => n + p.count, 0)).toBe(original.count);
      expect(pieces.flatMap(p => p.userKeys ?? [])).toEqual(
        original.userKeys ?? [],
      );
    }
  });
});
