import { HOUR_MS } from '../../time';

/** The longest stretch of quiet before the first elevated event still counted as onset uncertainty. */
const MAX_GAP_MS = 15 * 60_000;
/** Elevated events needed after a change point for it to count. */
const MIN_AFTER = 3;

export interface OnsetRefinement {
  onsetAt: number;
  onsetUncertaintyMs: number;
}

/**
 * Narrows an onset known to the hour using the sampled events of that hour: the change point of
 * a Poisson process whose rate before is the baseline and after is whatever fits best (maximum
 * likelihood over the event times). Only when the sample holds every event of the hour, which it
 * does while the spike is young; otherwise the hour stands.
 *
 * @param times - event times in the hour, sorted
 * @param baselinePerHour - events an hour expected before the onset
 * @param end - end of what was observed: the end of the hour, or now if earlier
 */
export function refineOnset(
  times: number[],
  hourStart: number,
  end: number,
  baselinePerHour: number,
): OnsetRefinement | undefined {
  const n = times.length;
  if (n < MIN_AFTER) return undefined;
  const rate0 = Math.max(baselinePerHour, 0.5) / HOUR_MS;
  let best: { k: number; ll: number } | undefined;
  for (let k = 0; k <= n - MIN_AFTER; k++) {
    const tau = times[k];
    const after = n - k;
    const span = Math.max(end - tau, 1);
    const rate1 = after / span;
    const ll =
      k * Math.log(rate0) -
      rate0 * (tau - hourStart) +
      after * Math.log(rate1) -
      rate1 * span;
    if (!best || ll > best.ll) best = { k, ll };
  }
  if (!best) return undefined;
  const tau = times[best.k];
  const previous = best.k > 0 ? times[best.k - 1] : hourStart;
  // The raised rate shows its first event after about one of its own waits: the onset lies
  // that far before the first elevated event, not all the way back to the last quiet one (a
  // quiet baseline leaves minutes between events, which had put onsets up to 15 minutes early).
  const wait = Math.max(end - tau, 1) / (n - best.k);
  const gap = Math.min(tau - previous, MAX_GAP_MS, 2 * wait);
  return {
    onsetAt: Math.round(tau - gap),
    onsetUncertaintyMs: Math.round(gap),
  };
}

/**
 * Narrows an onset known to the hour when the sample has kept only the newest events of the
 * hour: `count - times.length` events happened before the oldest kept one, at the baseline rate
 * before the onset and at the rate the kept events show after it, which puts the onset at
 *
 *   onset = (rateAfter * oldest - rateBefore * hourStart - missing) / (rateAfter - rateBefore)
 *
 * give or take the Poisson noise of the missing count. The onset cannot be later than the
 * oldest kept event.
 */
export function refineOnsetFromNewest(
  times: number[],
  count: number,
  hourStart: number,
  end: number,
  baselinePerHour: number,
): OnsetRefinement | undefined {
  if (times.length < MIN_AFTER || count <= times.length) return undefined;
  const oldest = times[0];
  const missing = count - times.length;
  const before = Math.max(baselinePerHour, 0.5) / HOUR_MS;
  const after = times.length / Math.max(end - oldest, 1);
  if (after < 2 * before) return undefined;
  const estimate =
    (after * oldest - before * hourStart - missing) / (after - before);
  const spread = (2 * Math.sqrt(missing)) / (after - before) + 2 * 60_000;
  const from = Math.max(hourStart, Math.min(estimate - spread, oldest));
  const to = Math.min(oldest, Math.max(estimate + spread, hourStart));
  return {
    onsetAt: Math.round(from),
    onsetUncertaintyMs: Math.round(Math.max(0, to - from)),
  };
}
