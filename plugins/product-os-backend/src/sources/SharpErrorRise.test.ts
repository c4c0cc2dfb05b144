import type { ErrorGroupKey } from '@internal/plugin-product-os-node';
import {
  errorGroupId,
  ErrorStore,
  HourlyCounts,
} from '../database/errors/ErrorStore';
import { SharpErrorRise } from './SharpErrorRise';

const HOUR = 60 * 60_000;
const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 20, 0, 0);
const API = 'component:default/checkout-api';
const THRESHOLDS = { minEvents: 20, minRatio: 3 };

/** Hourly buckets as the store keeps them, from the events written. */
class Buckets implements Pick<ErrorStore, 'hourlyCounts'> {
  private readonly hours = new Map<string, HourlyCounts>();
  reads = 0;

  add(group: ErrorGroupKey, count: number, at: number) {
    const hour = Math.floor(at / HOUR) * HOUR;
    const id = errorGroupId(group);
    const hours = this.hours.get(id) ?? new Map();
    hours.set(hour, (hours.get(hour) ?? 0) + count);
    this.hours.set(id, hours);
  }

  async hourlyCounts(query: {
    groups: ErrorGroupKey[];
    entityRefs: string[];
    since: number;
  }) {
    this.reads += 1;
    const recent = (hours: HourlyCounts) =>
      new Map([...hours].filter(([hour]) => hour >= query.since));
    const entities = new Map<string, HourlyCounts>();
    for (const entityRef of query.entityRefs) {
      const total: HourlyCounts = new Map();
      for (const [id, hours] of this.hours) {
        if (!id.startsWith(`${entityRef}\u0000`)) continue;
        for (const [hour, count] of recent(hours))
          total.set(hour, (total.get(hour) ?? 0) + count);
      }
      entities.set(entityRef, total);
    }
    return {
      groups: new Map(
        query.groups.map(group => [
          errorGroupId(group),
          recent(this.hours.get(errorGroupId(group)) ?? new Map()),
        ]),
      ),
      entities,
    };
  }
}

const group = (fingerprint = 'fp-1', entityRef = API): ErrorGroupKey => ({
  entityRef,
  source: 'sentry',
  fingerprint,
});

/** Buckets holding `perHour` events of each group in every hour of the baseline, and a check. */
function warm(perHour: Record<string, number>) {
  const buckets = new Buckets();
  let clock = START;
  const check = new SharpErrorRise(buckets, THRESHOLDS, { now: () => clock });
  for (let h = 0; h < 7; h++) {
    for (const [fingerprint, count] of Object.entries(perHour))
      buckets.add(group(fingerprint), count, START + h * HOUR + 30 * MINUTE);
  }
  /** Stores `count` events of a group at `at`, as of `time`, and asks the check. */
  const store = (time: number, count: number, at: number, fp = 'fp-1') => {
    clock = time;
    buckets.add(group(fp), count, at);
    return check.risen(
      [group(fp)],
      new Map([[errorGroupId(group(fp)), count]]),
    );
  };
  return { buckets, check, store };
}

describe('SharpErrorRise', () => {
  it('names the entity when a group rises well above its recent hours', async () => {
    const { store } = warm({ 'fp-1': 6, 'fp-2': 30 });
    expect(
      await store(START + 7 * HOUR + 10 * MINUTE, 15, START + 7 * HOUR),
    ).toEqual([]);
    // 25 events so far this hour against a level of 6: a rise, though the entity's total is not.
    expect(
      await store(
        START + 7 * HOUR + 16 * MINUTE,
        10,
        START + 7 * HOUR + 15 * MINUTE,
      ),
    ).toEqual([API]);
  });

  it('leaves ordinary hours, and rises too small to matter, alone', async () => {
    const { store } = warm({ 'fp-1': 12, 'fp-2': 2 });
    const at = START + 7 * HOUR + 50 * MINUTE;
    expect(await store(at, 20, START + 7 * HOUR, 'fp-1')).toEqual([]);
    // Nine times its level, but a dozen events are a trickle.
    expect(await store(at + 6 * MINUTE, 12, START + 7 * HOUR, 'fp-2')).toEqual(
      [],
    );
  });

  it('judges a group once per interval, sooner only when enough events came to reach the threshold, and stays quiet after a signal', async () => {
    const { store, buckets } = warm({ 'fp-1': 4 });
    const at = (minute: number) => START + 7 * HOUR + minute * MINUTE;
    // 5 events: the threshold is max(20, 3 × 4) = 20, so 15 are lacking.
    expect(await store(at(5), 5, at(4))).toEqual([]);
    const reads = buckets.reads;
    // 14 more a minute later: still one short of what could reach it, so nothing is read.
    expect(await store(at(6), 14, at(5))).toEqual([]);
    expect(buckets.reads).toBe(reads);
    // The 15th: judged at once, 20 events, a sharp rise.
    expect(await store(at(6.5), 1, at(6))).toEqual([API]);
    expect(buckets.reads).toBe(reads + 1);
    // Quiet for the hour after, however many more come.
    expect(await store(at(40), 60, at(39))).toEqual([]);
  });

  it('judges a group again after the interval, whatever it lacked', async () => {
    const { store, buckets } = warm({ 'fp-1': 4 });
    const at = (minute: number) => START + 7 * HOUR + minute * MINUTE;
    expect(await store(at(5), 5, at(4))).toEqual([]);
    const reads = buckets.reads;
    // Another instance stored 14 (this one does not know); this one stores one, 4 minutes on.
    buckets.add(group(), 14, at(6));
    expect(await store(at(9), 1, at(8))).toEqual([]);
    expect(buckets.reads).toBe(reads);
    // Five minutes after the last judgement it is judged again: 20 in the hour.
    expect(await store(at(10), 0, at(10))).toEqual([API]);
  });

  it('measures against the median, so one earlier burst does not hide the next rise', async () => {
    const buckets = new Buckets();
    for (let h = 0; h < 7; h++)
      buckets.add(group(), h === 4 ? 200 : 5, START + h * HOUR + 30 * MINUTE);
    buckets.add(group(), 30, START + 7 * HOUR);
    const check = new SharpErrorRise(buckets, THRESHOLDS, {
      now: () => START + 7 * HOUR + 30 * MINUTE,
    });
    expect(await check.risen([group()])).toEqual([API]);
  });

  it('judges from the stored counts, so an instance just started sees the rise another would', async () => {
    const { store, buckets } = warm({ 'fp-1': 5 });
    expect(
      await store(START + 7 * HOUR + 10 * MINUTE, 40, START + 7 * HOUR),
    ).toEqual([API]);
    // A restart (or a second instance): no memory of the hours before, the same counts.
    const restarted = new SharpErrorRise(buckets, THRESHOLDS, {
      now: () => START + 7 * HOUR + 12 * MINUTE,
    });
    expect(await restarted.risen([group()])).toEqual([API]);
  });

  it("takes its thresholds from the agent's spike settings", async () => {
    const { buckets } = warm({ 'fp-1': 5 });
    buckets.add(group(), 40, START + 7 * HOUR);
    const now = () => START + 7 * HOUR + 10 * MINUTE;
    const strict = new SharpErrorRise(
      buckets,
      { minEvents: 50, minRatio: 3 },
      { now },
    );
    expect(await strict.risen([group()])).toEqual([]);
    const ratio = new SharpErrorRise(
      buckets,
      { minEvents: 20, minRatio: 10 },
      { now },
    );
    expect(await ratio.risen([group()])).toEqual([]);
  });

  it("notices a rise of the entity's total that no single group makes", async () => {
    const buckets = new Buckets();
    for (let h = 0; h < 7; h++) {
      for (const fp of ['fp-1', 'fp-2', 'fp-3'])
        buckets.add(group(fp), 2, START + h * HOUR + 30 * MINUTE);
    }
    // 10 each this hour: under the minimum per group, 30 together against a level of 6.
    for (const fp of ['fp-1', 'fp-2', 'fp-3'])
      buckets.add(group(fp), 10, START + 7 * HOUR);
    const check = new SharpErrorRise(buckets, THRESHOLDS, {
      now: () => START + 7 * HOUR + 30 * MINUTE,
    });
    expect(await check.risen([group('fp-3')])).toEqual([API]);
  });

  it('signals a new group once it has the events that make it an anomaly, judging it every second until then', async () => {
    const { store, buckets } = warm({ 'fp-1': 6 });
    const at = START + 7 * HOUR + 20 * MINUTE;
    // Its first event: judged, too few.
    expect(await store(at, 1, at, 'fp-new')).toEqual([]);
    const reads = buckets.reads;
    // Within the second: not read again.
    expect(await store(at + 500, 3, at + 500, 'fp-new')).toEqual([]);
    expect(buckets.reads).toBe(reads);
    // A second later, with 10 events in all: the agent's own threshold for a new group.
    expect(await store(at + 1500, 6, at + 1500, 'fp-new')).toEqual([API]);
    // Signalled once: quiet for the hour after, though it keeps growing (the entity's 15 this
    // hour are short of its own threshold, 20).
    expect(await store(at + 3000, 5, at + 3000, 'fp-new')).toEqual([]);
  });

  it('signals a new group at the early count, and once more at the full count', async () => {
    const { store } = warm({ 'fp-1': 6 });
    const at = START + 7 * HOUR + 20 * MINUTE;
    expect(await store(at, 4, at, 'fp-new')).toEqual([]);
    // Five events: the agent may count it already, if they came fast enough.
    expect(await store(at + 1000, 1, at + 1000, 'fp-new')).toEqual([API]);
    // Not again at six: the next signal is at ten.
    expect(await store(at + 2000, 1, at + 2000, 'fp-new')).toEqual([]);
    // Still judged every second: at ten, the count that makes it an anomaly in any case.
    expect(await store(at + 3000, 4, at + 3000, 'fp-new')).toEqual([API]);
    expect(await store(at + 4000, 5, at + 4000, 'fp-new')).toEqual([]);
  });

  it('judges a group that had events in the hours before by its rise, not as a new one', async () => {
    const { store } = warm({ 'fp-1': 6 });
    const at = START + 7 * HOUR + 20 * MINUTE;
    // Twelve events in the hour against a level of six: neither new nor a sharp rise.
    expect(await store(at, 12, at)).toEqual([]);
  });
});
