import { ErrorRiseWatch, WatchedEvent } from './ErrorRiseWatch';

const HOUR = 60 * 60_000;
const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 20, 0, 0);
const API = 'component:default/checkout-api';

function events(
  count: number,
  at: number,
  fingerprint = 'fp-1',
  entityRef = API,
): WatchedEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    entityRef,
    source: 'sentry',
    fingerprint,
    timestamp: at + i * 1000,
  }));
}

/** A watch that has seen `perHour` events of each group in every hour of the baseline. */
function warmWatch(perHour: Record<string, number>) {
  let clock = START;
  const watch = new ErrorRiseWatch(() => clock);
  for (let h = 0; h < 7; h++) {
    clock = START + h * HOUR + 30 * MINUTE;
    for (const [fingerprint, count] of Object.entries(perHour)) {
      expect(watch.record(events(count, clock, fingerprint))).toEqual([]);
    }
  }
  return { watch, at: (time: number) => (clock = time) };
}

describe('ErrorRiseWatch', () => {
  it('names the entity when a group rises well above its recent hours', () => {
    const { watch, at } = warmWatch({ 'fp-1': 6, 'fp-2': 30 });
    at(START + 7 * HOUR + 10 * MINUTE);
    expect(watch.record(events(15, START + 7 * HOUR, 'fp-1'))).toEqual([]);
    at(START + 7 * HOUR + 16 * MINUTE);
    // 25 events so far this hour against a level of 6: a rise, though the entity's total is not.
    expect(
      watch.record(events(10, START + 7 * HOUR + 15 * MINUTE, 'fp-1')),
    ).toEqual([API]);
  });

  it('leaves ordinary hours, and rises too small to matter, alone', () => {
    const { watch, at } = warmWatch({ 'fp-1': 12, 'fp-2': 2 });
    at(START + 7 * HOUR + 50 * MINUTE);
    expect(watch.record(events(20, START + 7 * HOUR, 'fp-1'))).toEqual([]);
    // Nine times its level, but a dozen events are a trickle.
    expect(watch.record(events(12, START + 7 * HOUR, 'fp-2'))).toEqual([]);
  });

  it('judges a group at most once per interval, and stays quiet after a signal', () => {
    const { watch, at } = warmWatch({ 'fp-1': 4 });
    at(START + 7 * HOUR + 5 * MINUTE);
    expect(watch.record(events(5, START + 7 * HOUR + 4 * MINUTE))).toEqual([]);
    // Past the threshold a minute later, but the group was judged a minute ago.
    at(START + 7 * HOUR + 6 * MINUTE);
    expect(watch.record(events(30, START + 7 * HOUR + 5 * MINUTE))).toEqual([]);
    at(START + 7 * HOUR + 11 * MINUTE);
    expect(watch.record(events(1, START + 7 * HOUR + 10 * MINUTE))).toEqual([
      API,
    ]);
    at(START + 7 * HOUR + 40 * MINUTE);
    expect(watch.record(events(60, START + 7 * HOUR + 39 * MINUTE))).toEqual(
      [],
    );
  });

  it('measures against the median, so one earlier burst does not hide the next rise', () => {
    let clock = START;
    const watch = new ErrorRiseWatch(() => clock);
    for (let h = 0; h < 7; h++) {
      clock = START + h * HOUR + 30 * MINUTE;
      watch.record(events(h === 4 ? 200 : 5, clock));
    }
    clock = START + 7 * HOUR + 30 * MINUTE;
    expect(watch.record(events(30, START + 7 * HOUR))).toEqual([API]);
  });

  it('judges nothing until it has watched a whole baseline, as after a restart', () => {
    let clock = START + 20 * MINUTE;
    const watch = new ErrorRiseWatch(() => clock);
    expect(watch.record(events(100, START))).toEqual([]);
    clock = START + 3 * HOUR;
    expect(watch.record(events(100, START + 3 * HOUR - MINUTE))).toEqual([]);
  });

  it('counts only the stored share of a delivery that was partly seen before', () => {
    const { watch, at } = warmWatch({ 'fp-1': 10 });
    at(START + 7 * HOUR + 30 * MINUTE);
    // 40 events, a quarter of them new: 10, the usual level.
    expect(watch.record(events(40, START + 7 * HOUR), 0.25)).toEqual([]);
  });
});
