import { readAgentConfig } from '../../config';
import type {
  ErrorBucketRecord,
  ErrorGroupRecord,
} from '../../database/errors/ErrorStore';
import type { MetricPointRecord } from '../../database/metrics/MetricStore';
import { DAY_MS, HOUR_MS } from '../../time';
import type { Signal } from '../types';
import { median, robustZ, sameHourBaseline } from './baseline';
import { detectErrorSpikes } from './detectErrorSpikes';
import { detectIncidents } from './detectIncidents';
import { detectMetricDrops } from './detectMetricDrops';
import { detectNewErrorGroups } from './detectNewErrorGroups';
import { detectRegressions } from './detectRegressions';
import { mergeAnomaly, mergeSignals } from './mergeSignals';
import { refineOnset, refineOnsetFromNewest } from './refineOnset';

const config = readAgentConfig();
const MINUTE = 60_000;
// Monday 9 November 2026, 14:20 UTC; a week of history before it.
const NOW = Date.parse('2026-11-09T14:20:00Z');
const HISTORY = NOW - 9 * DAY_MS;

/** Hourly counts of one group: a daily shape (busy afternoons) with optional overrides. */
function hourly(
  groupId: number,
  perHour: (hourOfDay: number, day: number) => number,
  until = NOW,
): ErrorBucketRecord[] {
  const out: ErrorBucketRecord[] = [];
  for (
    let t = Math.floor(HISTORY / HOUR_MS) * HOUR_MS;
    t <= until;
    t += HOUR_MS
  ) {
    // The hour still filling holds only the part of its events that has happened.
    const elapsed = Math.min(1, (until - t) / HOUR_MS);
    const count = Math.round(
      perHour(new Date(t).getUTCHours(), Math.floor((t - HISTORY) / DAY_MS)) *
        elapsed,
    );
    if (count > 0) out.push({ groupId, bucketStart: t, count, users: count });
  }
  return out;
}

const seasonal = (h: number) => (h >= 9 && h < 18 ? 12 : 4);

describe('baseline', () => {
  it('is the median and MAD of the same hour on previous days, ignoring days before history', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const bucket = Date.parse('2026-11-09T14:00:00Z');
    const counts = new Map<number, number>();
    [10, 12, 11, 50, 9].forEach((c, i) =>
      counts.set(bucket - (i + 1) * DAY_MS, c),
    );
    const baseline = sameHourBaseline(counts, bucket, 7, bucket - 5 * DAY_MS);
    expect(baseline.days).toBe(5);
    expect(baseline.median).toBe(11);
    expect(baseline.mad).toBe(1);
    // Poisson noise is the floor of the spread: 22 against a median of 11 is 3.3 deviations.
    expect(robustZ(22, baseline)).toBeCloseTo(11 / Math.sqrt(11), 5);
  });
});

describe('detectErrorSpikes', () => {
  it('finds a spike against the same hour of previous days, with the groups behind it', () => {
    const onset = Date.parse('2026-11-09T13:00:00Z');
    const buckets = [
      ...hourly(1, seasonal),
      ...hourly(2, (h, d) => (d === 8 && h >= 13 ? 150 : 1)),
    ];
    const [entity, ...groups] = detectErrorSpikes({
      buckets,
      now: NOW,
      historyStart: HISTORY,
      config,
    });
    expect(entity).toMatchObject({
      kind: 'error_spike',
      scope: 'entity',
      onsetAt: onset,
      onsetUncertaintyMs: HOUR_MS,
    });
    expect(entity.magnitude).toBeGreaterThan(10);
    expect(entity.groups).toEqual([{ id: 2, excess: expect.any(Number) }]);
    expect(groups.map(g => g.groups?.[0].id)).toEqual([2]);
  });

  it('leaves the daily peak alone: the afternoon is compared with afternoons', () => {
    const buckets = hourly(1, h => (h >= 9 && h < 18 ? 60 : 3));
    expect(
      detectErrorSpikes({ buckets, now: NOW, historyStart: HISTORY, config }),
    ).toEqual([]);
  });

  it('does not alarm on a quiet service that saw 3 errors instead of none', () => {
    const buckets = hourly(1, (h, d) => (d === 8 && h === 13 ? 3 : 0));
    expect(
      detectErrorSpikes({ buckets, now: NOW, historyStart: HISTORY, config }),
    ).toEqual([]);
  });

  it("judges the first minutes of an hour only on a whole hour's minimum volume", () => {
    // 14:05: a twelfth of the hour. The group has 12 an hour at 14:00 every day (no spread),
    // so 1 is expected by now and the noise floor is 1.
    const now = Date.parse('2026-11-09T14:05:00Z');
    const hour = Date.parse('2026-11-09T14:00:00Z');
    const withCurrent = (count: number) => [
      ...hourly(1, seasonal, hour - 1),
      { groupId: 1, bucketStart: hour, count, users: count },
    ];
    const judge = (count: number) =>
      detectErrorSpikes({
        buckets: withCurrent(count),
        now,
        historyStart: HISTORY,
        config,
      });
    // 25 so far: at least 20 (not 20/12), 25 times the expectation, 24 deviations above it.
    expect(judge(25)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'error_spike',
          scope: 'entity',
          onsetAt: hour,
        }),
      ]),
    );
    // 19: ratio and deviation would do, the volume of a whole hour's minimum not yet.
    expect(judge(19)).toEqual([]);
  });

  it('needs three days of history before it judges', () => {
    const buckets = hourly(1, (h, d) => (d === 8 && h >= 13 ? 200 : 5)).filter(
      b => b.bucketStart > NOW - 2 * DAY_MS,
    );
    expect(
      detectErrorSpikes({
        buckets,
        now: NOW,
        historyStart: NOW - 2 * DAY_MS,
        config,
      }),
    ).toEqual([]);
  });
});

describe('new error groups, regressions and incidents', () => {
  const group = (
    id: number,
    patch: Partial<ErrorGroupRecord>,
  ): ErrorGroupRecord => ({
    id,
    entityRef: 'component:default/a',
    source: 'sentry',
    fingerprint: `fp${id}`,
    title: `Error ${id}`,
    level: 'error',
    status: 'unresolved',
    firstSeen: HISTORY,
    lastSeen: NOW,
    topFrames: [],
    eventCount: 0,
    ...patch,
  });

  it('reports a new group once it has the minimum volume, at its first event', () => {
    const firstSeen = NOW - 50 * MINUTE;
    const busy = group(1, { firstSeen });
    const trickle = group(2, { firstSeen: NOW - 3 * HOUR_MS });
    const buckets: ErrorBucketRecord[] = [
      {
        groupId: 1,
        bucketStart: Math.floor(firstSeen / HOUR_MS) * HOUR_MS,
        count: 14,
        users: 9,
      },
      {
        groupId: 1,
        bucketStart: Math.floor(NOW / HOUR_MS) * HOUR_MS,
        count: 20,
        users: 12,
      },
      {
        groupId: 2,
        bucketStart: Math.floor((NOW - 3 * HOUR_MS) / HOUR_MS) * HOUR_MS,
        count: 2,
        users: 2,
      },
    ];
    const signals = detectNewErrorGroups({
      groups: [busy, trickle],
      buckets,
      now: NOW,
      usualPerHour: 10,
      config,
    });
    expect(signals).toEqual([
      expect.objectContaining({
        kind: 'new_error_group',
        onsetAt: firstSeen,
        onsetUncertaintyMs: 0,
        groups: [{ id: 1, excess: 34 }],
      }),
    ]);
  });

  it('reports a resolved group that came back and is unresolved', () => {
    const regressedAt = NOW - 30 * MINUTE;
    const back = group(3, { regressedAt, resolvedAt: NOW - 2 * DAY_MS });
    const resolvedAgain = group(4, { regressedAt, status: 'resolved' });
    const buckets = [3, 4].map(id => ({
      groupId: id,
      bucketStart: Math.floor(regressedAt / HOUR_MS) * HOUR_MS,
      count: 9,
      users: 9,
    }));
    expect(
      detectRegressions({
        groups: [back, resolvedAgain],
        buckets,
        now: NOW,
        usualPerHour: 5,
        config,
      }),
    ).toEqual([
      expect.objectContaining({
        kind: 'regression',
        onsetAt: regressedAt,
        groups: [{ id: 3, excess: 9 }],
      }),
    ]);
  });

  it('reports incidents triggered in the window, with the alert delay as uncertainty', () => {
    const createdAt = NOW - 20 * MINUTE;
    const [signal] = detectIncidents({
      incidents: [
        {
          id: 7,
          entityRef: 'x',
          source: 'pagerduty',
          externalId: 'Q1',
          title: 'Latency',
          urgency: 'high',
          status: 'triggered',
          createdAt: new Date(createdAt).toISOString(),
          assignees: [],
          timeline: [],
        },
        {
          id: 8,
          entityRef: 'x',
          source: 'pagerduty',
          externalId: 'Q0',
          title: 'Old',
          status: 'resolved',
          createdAt: new Date(NOW - DAY_MS).toISOString(),
          assignees: [],
          timeline: [],
        },
      ],
      now: NOW,
      config,
    });
    expect(signal).toMatchObject({
      kind: 'incident',
      onsetAt: createdAt - 15 * MINUTE,
      onsetUncertaintyMs: 15 * MINUTE,
      score: 0.9,
      incident: { id: 7 },
    });
  });
});

describe('detectMetricDrops', () => {
  function points(level: (t: number) => number): MetricPointRecord[] {
    const out: MetricPointRecord[] = [];
    for (
      let t = Math.floor(HISTORY / HOUR_MS) * HOUR_MS;
      t + HOUR_MS <= NOW;
      t += HOUR_MS
    ) {
      const h = new Date(t).getUTCHours();
      out.push({
        metric: 'checkout_completed',
        bucketStart: t,
        count: Math.round((h >= 9 && h < 18 ? 400 : 120) * level(t)),
        users: 0,
      });
    }
    return out;
  }

  it('finds a drop sustained for two complete hours and estimates where in the hour it began', () => {
    const onset = Date.parse('2026-11-09T11:30:00Z');
    const drop = (t: number) => {
      if (t + HOUR_MS <= onset) return 1;
      return t >= onset ? 0.4 : 0.7;
    };
    const [signal] = detectMetricDrops({
      points: points(drop),
      metrics: ['checkout_completed'],
      now: NOW,
      config,
    });
    expect(signal.kind).toBe('metric_drop');
    // The hour the drop began in is half down, the later ones 60 %.
    expect(signal.magnitude).toBeGreaterThan(-0.6);
    expect(signal.magnitude).toBeLessThan(-0.45);
    expect(signal.onsetAt).toBeLessThanOrEqual(onset);
    expect(signal.onsetAt + signal.onsetUncertaintyMs).toBeGreaterThanOrEqual(
      onset,
    );
    expect(signal.onsetUncertaintyMs).toBeLessThan(HOUR_MS);
  });

  it("takes a busier day in its stride: previous days are scaled to today's level", () => {
    const busierToday = (t: number) =>
      t >= Date.parse('2026-11-09T00:00:00Z') ? 1.35 : 1;
    expect(
      detectMetricDrops({
        points: points(busierToday),
        metrics: ['checkout_completed'],
        now: NOW,
        config,
      }),
    ).toEqual([]);
  });

  it('does not take hours that have not arrived yet for a drop to zero', () => {
    const late = points(() => 1).filter(p => p.bucketStart < NOW - 3 * HOUR_MS);
    expect(
      detectMetricDrops({
        points: late,
        metrics: ['checkout_completed'],
        now: NOW,
        config,
      }),
    ).toEqual([]);
  });
});

describe('refineOnset', () => {
  const hour = Date.parse('2026-11-09T13:00:00Z');
  it('finds the change point in a complete sample of the hour', () => {
    const background = [hour + 5 * MINUTE, hour + 17 * MINUTE];
    const spike = Array.from(
      { length: 40 },
      (_, i) => hour + 31 * MINUTE + i * 30_000,
    );
    const refined = refineOnset(
      [...background, ...spike],
      hour,
      hour + HOUR_MS,
      4,
    )!;
    expect(refined.onsetAt + refined.onsetUncertaintyMs).toBe(
      hour + 31 * MINUTE,
    );
    expect(refined.onsetAt).toBeGreaterThanOrEqual(hour + 17 * MINUTE);
  });

  it('places the onset one wait of the raised rate before its first event, not back at the last quiet one', () => {
    // A quiet baseline (an event at 13:10), then one a minute from 13:25.
    const spike = Array.from(
      { length: 30 },
      (_, i) => hour + 25 * MINUTE + i * MINUTE,
    );
    const refined = refineOnset(
      [hour + 10 * MINUTE, ...spike],
      hour,
      hour + HOUR_MS,
      1,
    )!;
    expect(refined.onsetAt + refined.onsetUncertaintyMs).toBe(
      hour + 25 * MINUTE,
    );
    expect(refined.onsetAt).toBeGreaterThanOrEqual(hour + 22 * MINUTE);
  });

  it('estimates the onset from the newest events and how many came before them', () => {
    // 5 a minute from 13:20 after 2 background events: 102 events by 13:40, of which the
    // sample kept the newest 50.
    const kept = Array.from(
      { length: 50 },
      (_, i) => hour + 30 * MINUTE + i * 12_000,
    );
    const refined = refineOnsetFromNewest(
      kept,
      102,
      hour,
      hour + 40 * MINUTE,
      6,
    )!;
    expect(refined.onsetAt).toBeLessThanOrEqual(hour + 20 * MINUTE);
    expect(refined.onsetAt + refined.onsetUncertaintyMs).toBeGreaterThanOrEqual(
      hour + 20 * MINUTE,
    );
    expect(refined.onsetUncertaintyMs).toBeLessThan(15 * MINUTE);
  });
});

describe('mergeSignals', () => {
  const signal = (patch: Partial<Signal>): Signal => ({
    kind: 'error_spike',
    onsetAt: 0,
    onsetUncertaintyMs: HOUR_MS,
    magnitude: 2,
    score: 0.5,
    description: '',
    ...patch,
  });

  it('merges overlapping signals into one anomaly with the best-known onset', () => {
    const hourStart = Date.parse('2026-11-09T13:00:00Z');
    const merged = mergeSignals(
      'component:default/a',
      [
        signal({
          onsetAt: hourStart,
          magnitude: 14,
          scope: 'entity',
          groups: [{ id: 1, excess: 100 }],
        }),
        signal({
          kind: 'new_error_group',
          onsetAt: hourStart + 14 * MINUTE,
          onsetUncertaintyMs: 0,
          magnitude: 3,
          score: 0.8,
        }),
        signal({
          kind: 'incident',
          onsetAt: hourStart + 10 * MINUTE,
          onsetUncertaintyMs: 15 * MINUTE,
          score: 0.9,
          incident: { id: 1, title: 'x', status: 'triggered' },
        }),
        signal({
          kind: 'metric_drop',
          onsetAt: hourStart + 5 * HOUR_MS,
          magnitude: -0.5,
          metric: { key: 'm', observed: 1, expected: 2 },
        }),
      ],
      { mergeWindowMs: 90 * MINUTE, detectedAt: NOW },
    );
    expect(merged).toHaveLength(2);
    // The new group's first event, not the start of the incident's window 4 minutes before it.
    expect(merged[0]).toMatchObject({
      kinds: ['incident', 'error_spike', 'new_error_group'],
      onsetAt: hourStart + 14 * MINUTE,
      magnitude: 14,
    });
    expect(merged[0].score).toBeCloseTo(1 - 0.5 * 0.2 * 0.1, 3);
    expect(merged[1]).toMatchObject({
      kinds: ['metric_drop'],
      magnitude: -0.5,
    });
  });

  it("takes the rising group's onset over the earlier start of an incident's window", () => {
    const paged = Date.parse('2026-11-09T13:30:00Z');
    const [merged] = mergeSignals(
      'a',
      [
        signal({
          kind: 'incident',
          onsetAt: paged - 15 * MINUTE,
          onsetUncertaintyMs: 15 * MINUTE,
          incident: { id: 1, title: 'x', status: 'triggered' },
        }),
        signal({
          kind: 'error_spike',
          scope: 'group',
          onsetAt: paged - 4 * MINUTE,
          onsetUncertaintyMs: MINUTE,
          groups: [{ id: 3, excess: 80 }],
        }),
      ],
      { mergeWindowMs: 90 * MINUTE, detectedAt: paged },
    );
    expect(merged.onsetAt).toBe(paged - 4 * MINUTE);
  });

  it("narrows a metric's wide window that ends just before a new group's first event to the minutes before it", () => {
    const hourStart = Date.parse('2026-11-09T16:00:00Z');
    const firstEvent = hourStart + 31 * MINUTE;
    const merge = (metricWindowMs: number) =>
      mergeSignals(
        'a',
        [
          signal({
            kind: 'metric_drop',
            onsetAt: hourStart,
            onsetUncertaintyMs: metricWindowMs,
            magnitude: -0.5,
            metric: { key: 'checkout_completed', observed: 1, expected: 2 },
          }),
          signal({
            kind: 'new_error_group',
            onsetAt: firstEvent,
            onsetUncertaintyMs: 0,
            groups: [{ id: 7, excess: 40 }],
          }),
        ],
        { mergeWindowMs: 90 * MINUTE, detectedAt: firstEvent + HOUR_MS },
      )[0];
    // The drop ended its window 2 minutes before the first event: the onset lies in the
    // window's last quarter hour before that event, not anywhere since 16:00.
    expect(merge(29 * MINUTE)).toMatchObject({
      onsetAt: firstEvent - 15 * MINUTE,
      details: { onsetUncertaintyMs: 13 * MINUTE },
    });
    // A drop whose window ended long before the errors began: the trouble began with it.
    expect(merge(10 * MINUTE)).toMatchObject({
      onsetAt: hourStart,
      details: { onsetUncertaintyMs: 10 * MINUTE },
    });
  });

  it('keeps a new error group first seen hours into an open incident apart, with its own onset', () => {
    const paged = Date.parse('2026-11-09T02:00:00Z');
    const incident = mergeSignals(
      'a',
      [
        signal({
          kind: 'incident',
          onsetAt: paged - 15 * MINUTE,
          onsetUncertaintyMs: 15 * MINUTE,
          incident: { id: 1, title: 'x', status: 'triggered' },
        }),
      ],
      { mergeWindowMs: 90 * MINUTE, detectedAt: paged },
    )[0];
    const stored = {
      ...incident,
      id: 1,
      status: 'open' as const,
      updatedAt: paged + 4 * HOUR_MS,
      details: incident.details ?? {},
    };
    const firstSeen = paged + 4 * HOUR_MS;
    const group = mergeSignals(
      'a',
      [
        signal({
          kind: 'new_error_group',
          onsetAt: firstSeen,
          onsetUncertaintyMs: 0,
          groups: [{ id: 7, excess: 40 }],
        }),
      ],
      { mergeWindowMs: 90 * MINUTE, detectedAt: firstSeen + MINUTE },
    )[0];
    expect(mergeAnomaly(stored, group, 90 * MINUTE)).toBeUndefined();
    // The incident's own signal seen again is still the same anomaly.
    const again = mergeSignals(
      'a',
      [
        signal({
          kind: 'incident',
          onsetAt: paged - 15 * MINUTE,
          onsetUncertaintyMs: 15 * MINUTE,
          incident: { id: 1, title: 'x', status: 'resolved' },
        }),
      ],
      { mergeWindowMs: 90 * MINUTE, detectedAt: firstSeen },
    )[0];
    expect(mergeAnomaly(stored, again, 90 * MINUTE)).toMatchObject({
      onsetAt: paged - 15 * MINUTE,
    });
  });

  it('keeps a refined onset when the same signal is seen again known only to the hour', () => {
    const hourStart = Date.parse('2026-11-09T13:00:00Z');
    const first = mergeSignals(
      'a',
      [
        signal({
          scope: 'entity',
          onsetAt: hourStart + 20 * MINUTE,
          onsetUncertaintyMs: 4 * MINUTE,
        }),
      ],
      { mergeWindowMs: HOUR_MS, detectedAt: NOW },
    )[0];
    const again = mergeSignals(
      'a',
      [signal({ scope: 'entity', onsetAt: hourStart, magnitude: 20 })],
      { mergeWindowMs: HOUR_MS, detectedAt: NOW + HOUR_MS },
    )[0];
    const merged = mergeAnomaly(
      {
        ...first,
        id: 1,
        status: 'open',
        updatedAt: NOW,
        details: first.details ?? {},
      },
      again,
    );
    expect(merged).toMatchObject({
      onsetAt: hourStart + 20 * MINUTE,
      magnitude: 20,
      detectedAt: NOW,
    });
  });
});
