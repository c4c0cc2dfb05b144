import type { AgentConfig } from '../../config';
import type { ErrorBucketRecord } from '../../database/errors/ErrorStore';
import { HOUR_MS } from '../../time';
import type { Signal, SignalGroup } from '../types';
import { robustZ, sameHourBaseline, toCounts } from './baseline';
import { clockTime, elapsed, hourWindow, HourWindow, times } from './hourly';

/** Hours a spike may have lasted before the detect window, when looking for its onset. */
const MAX_RUN_HOURS = 24;
/** The most error groups a spike names. */
const MAX_GROUPS = 5;

export interface ErrorSpikeInput {
  /** Hourly counts per group, reaching back `baselineDays` before the detect window. */
  buckets: ErrorBucketRecord[];
  now: number;
  /** The first hour the entity could have reported errors; earlier zeros are not a baseline. */
  historyStart: number;
  /** Group titles, to name a group in descriptions. */
  titles?: Map<number, string>;
  config: Pick<AgentConfig, 'baselineDays' | 'detectWindowMs' | 'spike'>;
}

interface HourJudgement {
  bucket: number;
  observed: number;
  expected: number;
  fraction: number;
}

/**
 * Error-rate spikes of the entity as a whole and of each busy error group: runs of hours well
 * above the same hour of previous days (ratio, robust z and a minimum volume must all agree),
 * whose latest hour lies in the detect window. The current hour counts pro rata once a quarter
 * has passed, and before that only with the whole hour's minimum volume. Onsets are known to
 * the hour.
 */
export function detectErrorSpikes(input: ErrorSpikeInput): Signal[] {
  const { buckets, now, config } = input;
  const window = hourWindow(now);
  const total = toCounts(buckets.map(b => [b.bucketStart, b.count]));
  const byGroup = new Map<number, Map<number, number>>();
  for (const b of buckets) {
    const counts = byGroup.get(b.groupId) ?? new Map<number, number>();
    counts.set(b.bucketStart, (counts.get(b.bucketStart) ?? 0) + b.count);
    byGroup.set(b.groupId, counts);
  }

  const signals: Signal[] = [];
  for (const run of spikeRuns(total, input, window)) {
    signals.push(
      toSignal(run, attribute(run, byGroup, input, window), 'errors', 'entity'),
    );
  }
  const windowStart = now - config.detectWindowMs;
  for (const [groupId, counts] of byGroup) {
    // A group that never reached a quarter of the minimum volume cannot spike; skip the work.
    let busiest = 0;
    for (const [bucket, count] of counts) {
      if (bucket >= windowStart - HOUR_MS) busiest = Math.max(busiest, count);
    }
    if (busiest < config.spike.minEvents / 4) continue;
    const title = input.titles?.get(groupId);
    for (const run of spikeRuns(counts, input, window)) {
      const excess = run.reduce(
        (sum, h) => sum + Math.max(0, h.observed - h.expected),
        0,
      );
      signals.push(
        toSignal(
          run,
          [{ id: groupId, excess: Math.round(excess) }],
          title ? `errors "${title}"` : 'errors of one group',
          'group',
        ),
      );
    }
  }
  return signals;
}

/** Runs of consecutive spiking hours, newest first, whose last hour is in the detect window. */
function spikeRuns(
  counts: Map<number, number>,
  input: ErrorSpikeInput,
  window: HourWindow,
): HourJudgement[][] {
  const { config } = input;
  const oldest = input.now - config.detectWindowMs;
  const runs: HourJudgement[][] = [];
  // The current hour is judged from its first minutes too, though pro rata only after a
  // quarter (see `judge`).
  let bucket = window.current;
  while (bucket + HOUR_MS > oldest) {
    const judgement = judge(counts, bucket, input, window);
    if (!judgement) {
      bucket -= HOUR_MS;
      continue;
    }
    const run = [judgement];
    let earlier = bucket - HOUR_MS;
    for (let i = 1; i < MAX_RUN_HOURS; i++, earlier -= HOUR_MS) {
      const previous = judge(counts, earlier, input, window);
      if (!previous) break;
      run.unshift(previous);
    }
    runs.push(run);
    bucket = earlier - HOUR_MS;
  }
  return runs;
}

/** The hour's counts if it is a spike, else undefined. */
function judge(
  counts: Map<number, number>,
  bucket: number,
  input: ErrorSpikeInput,
  window: HourWindow,
): HourJudgement | undefined {
  const { spike, baselineDays } = input.config;
  const baseline = sameHourBaseline(
    counts,
    bucket,
    baselineDays,
    input.historyStart,
  );
  // Fewer than three previous days is no baseline: the entity is still being learnt.
  if (baseline.days < 3) return undefined;
  const fraction = elapsed(bucket, window);
  const observed = counts.get(bucket) ?? 0;
  const expected = baseline.median * fraction;
  // Before a quarter of the hour has passed, the minimum volume is not scaled down: a few
  // events in the first minutes are noise, but a whole hour's minimum in them is a rise
  // worth reporting now rather than at a quarter past (ratio and deviation still pro rata).
  const early = bucket === window.current && bucket !== window.newest;
  const minEvents = early ? spike.minEvents : spike.minEvents * fraction;
  if (observed < minEvents) return undefined;
  if (observed < spike.minRatio * Math.max(expected, fraction))
    return undefined;
  if (robustZ(observed, baseline, fraction) < spike.minZ) return undefined;
  return { bucket, observed, expected, fraction };
}

/** The groups that account for the run's excess over baseline, largest first. */
function attribute(
  run: HourJudgement[],
  byGroup: Map<number, Map<number, number>>,
  input: ErrorSpikeInput,
  window: HourWindow,
): SignalGroup[] {
  const excess: SignalGroup[] = [];
  for (const [groupId, counts] of byGroup) {
    let sum = 0;
    for (const hour of run) {
      const baseline = sameHourBaseline(
        counts,
        hour.bucket,
        input.config.baselineDays,
        input.historyStart,
      );
      sum += Math.max(
        0,
        (counts.get(hour.bucket) ?? 0) -
          baseline.median * elapsed(hour.bucket, window),
      );
    }
    if (sum > 0) excess.push({ id: groupId, excess: Math.round(sum) });
  }
  const totalExcess = excess.reduce((s, g) => s + g.excess, 0);
  return excess
    .filter(g => g.excess >= 0.1 * totalExcess)
    .sort((a, b) => b.excess - a.excess || a.id - b.id)
    .slice(0, MAX_GROUPS);
}

function toSignal(
  run: HourJudgement[],
  groups: SignalGroup[],
  what: string,
  scope: 'entity' | 'group',
): Signal {
  const observed = run.reduce((s, h) => s + h.observed, 0);
  const expected = run.reduce((s, h) => s + h.expected, 0);
  const fraction = run.reduce((s, h) => s + h.fraction, 0);
  const ratio = observed / Math.max(expected, fraction);
  const onset = run[0].bucket;
  const perHour = Math.round(observed / fraction);
  const usual = Math.round((expected / fraction) * 10) / 10;
  return {
    kind: 'error_spike',
    scope,
    onsetAt: onset,
    onsetUncertaintyMs: HOUR_MS,
    magnitude: ratio,
    score: spikeScore(ratio),
    description: `${what} rose ${times(ratio)} from ${clockTime(
      onset,
    )} (${perHour} an hour, usually ${usual})`,
    groups,
  };
}

/** 0.4 for a 1x "spike", 1 from 30x up, logarithmic in between. */
function spikeScore(ratio: number): number {
  return Math.min(
    1,
    0.4 + (0.6 * Math.log10(Math.max(ratio, 1))) / Math.log10(30),
  );
}
