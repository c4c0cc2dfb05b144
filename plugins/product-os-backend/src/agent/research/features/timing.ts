import { clockTime } from '../../detect/hourly';
import type { Candidate, FeatureValue } from '../../types';
import type { FeatureContext } from './context';

/** Half the timing credit is gone this long before the onset. */
const HALF_LIFE_MS = 45 * 60_000;
/**
 * Trouble a change causes shows within about this long of its going live: errors thrown by new
 * code within seconds of the first request, an alert a few minutes after the trouble began.
 */
const SHOWS_WITHIN_MS = 60_000;
/**
 * An onset window wider than an incident's (the 15 minutes before the alert): a metric drop
 * known only to lie somewhere in an hour. Inside it, timing is judged by how much of the window
 * is left after the change.
 */
const WIDE_WINDOW_MS = 15 * 60_000;

/**
 * Went live shortly before the onset. The onset is known to lie in a window (from `onsetAt`,
 * `onsetUncertaintyMs` long: an incident began some time in the minutes before it was
 * triggered, a metric drop some time in an hour, a new error at its first event). Credit is
 * how likely trouble the change caused would have shown by the end of that window (nearly
 * certain a minute or two after going live), falling off slowly with the time between the
 * change being fully live and the window's start (a latent bug can wait for traffic); a change
 * still rolling out at the onset counts nearly fully. So the credit only falls with the time
 * before the onset: a change live a minute before the first event of a new error is "just
 * before", never less likely than one half an hour earlier. Changes after the window are not
 * candidates at all.
 */
export function timing(
  candidate: Candidate,
  context: FeatureContext,
): FeatureValue {
  const { onsetAt, onsetUncertaintyMs } = context;
  const onsetEnd = onsetAt + onsetUncertaintyMs;
  const onsetLabel = clockTime(onsetEnd);
  const facts = {
    liveAt: new Date(candidate.liveAt).toISOString(),
    liveUntil: new Date(candidate.liveUntil).toISOString(),
    onsetAt: new Date(onsetAt).toISOString(),
    onsetUncertaintyMinutes: Math.round(onsetUncertaintyMs / 60_000),
    // For the calibration: timing says less when traffic rose with the errors.
    ...(context.trafficShare && { trafficShare: context.trafficShare }),
  };
  const rolling = candidate.liveUntil > candidate.liveAt;
  const wide = onsetUncertaintyMs > WIDE_WINDOW_MS;
  if (candidate.liveAt >= onsetAt) {
    const left = onsetEnd - candidate.liveAt;
    const shows = wide
      ? windowAfter(candidate, onsetAt, onsetEnd)
      : 1 - Math.exp(-left / SHOWS_WITHIN_MS);
    const live =
      candidate.liveUntil >= onsetEnd || !rolling
        ? `went live at ${clockTime(candidate.liveAt)}`
        : `finished going live at ${clockTime(candidate.liveUntil)}`;
    return {
      name: 'timing',
      value: Math.max(0.05, 0.95 * shows),
      description:
        onsetUncertaintyMs > 0
          ? `${
              rolling && candidate.liveUntil >= onsetEnd
                ? `started going live at ${clockTime(candidate.liveAt)}`
                : live
            }, while the anomaly began (between ${clockTime(
              onsetAt,
            )} and ${onsetLabel})`
          : `${live}, just before the anomaly began at ${onsetLabel}`,
      facts: {
        ...facts,
        minutesBeforeOnset: 0,
        ...(wide && { windowAfter: Math.round(shows * 1000) / 1000 }),
      },
    };
  }
  if (candidate.liveUntil >= onsetAt) {
    return {
      name: 'timing',
      value: wide
        ? Math.max(0.05, 0.95 * windowAfter(candidate, onsetAt, onsetEnd))
        : 0.95,
      description: `was still rolling out when the anomaly began at ${clockTime(
        onsetAt,
      )} (started ${clockTime(candidate.liveAt)}, finished ${clockTime(
        candidate.liveUntil,
      )})`,
      facts: { ...facts, minutesBeforeOnset: 0, stillRollingOut: true },
    };
  }
  const gap = onsetAt - candidate.liveUntil;
  const minutes = Math.round(gap / 60_000);
  return {
    name: 'timing',
    value: 1 / (1 + gap / HALF_LIFE_MS),
    description: `finished going live at ${clockTime(
      candidate.liveUntil,
    )}, ${formatDuration(gap)} before the onset (${clockTime(onsetAt)})`,
    facts: { ...facts, minutesBeforeOnset: minutes },
  };
}

/**
 * The share of a wide onset window (a metric drop placed somewhere in an hour) that lies after
 * the change went live: only trouble that began after it can be its doing, and nothing in hourly
 * counts says where in the window that was, so a change at the window's end is unlikely to be
 * the cause and one at its start likely. A rollout counts from its middle, when about half the
 * traffic runs the new version.
 */
function windowAfter(
  candidate: Candidate,
  onsetAt: number,
  onsetEnd: number,
): number {
  const live = (candidate.liveAt + candidate.liveUntil) / 2;
  const width = Math.max(onsetEnd - onsetAt, 1);
  return Math.min(1, Math.max(0, (onsetEnd - Math.max(live, onsetAt)) / width));
}

/** `4 minutes`, `2 h 10 min`. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}
