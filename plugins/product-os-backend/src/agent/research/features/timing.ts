import { clockTime } from '../../detect/hourly';
import type { Candidate, FeatureValue } from '../../types';
import type { FeatureContext } from './context';

/** Half the timing credit is gone this long before the onset. */
const HALF_LIFE_MS = 45 * 60_000;
/** Trouble a change causes mostly shows within a few of these after it goes live. */
const SHOWS_WITHIN_MS = 5 * 60_000;

/**
 * Went live shortly before the onset. Credit falls off slowly with the time between the change
 * being fully live and the onset (a latent bug can wait for traffic); a change still rolling
 * out at the onset counts nearly fully. One that went live inside the onset's window of
 * uncertainty (an incident began some time in the minutes before it was triggered; a metric
 * drop some time in an hour) fits as well as trouble it caused would have shown in the time left
 * of the window: a change minutes before the alert is the classic suspect, not one that is
 * unlikely because the trouble might have begun before it. Changes after the window are not
 * candidates at all.
 */
export function timing(
  candidate: Candidate,
  context: FeatureContext,
): FeatureValue {
  const { onsetAt, onsetUncertaintyMs } = context;
  const onsetLabel = clockTime(onsetAt + onsetUncertaintyMs);
  const facts = {
    liveAt: new Date(candidate.liveAt).toISOString(),
    liveUntil: new Date(candidate.liveUntil).toISOString(),
    onsetAt: new Date(onsetAt).toISOString(),
    onsetUncertaintyMinutes: Math.round(onsetUncertaintyMs / 60_000),
  };
  if (candidate.liveAt >= onsetAt) {
    const left = onsetAt + onsetUncertaintyMs - candidate.liveAt;
    return {
      name: 'timing',
      value: Math.max(0.05, 0.95 * (1 - Math.exp(-left / SHOWS_WITHIN_MS))),
      description: `went live at ${clockTime(
        candidate.liveAt,
      )}, while the anomaly began (between ${clockTime(
        onsetAt,
      )} and ${onsetLabel})`,
      facts: { ...facts, minutesBeforeOnset: 0 },
    };
  }
  if (candidate.liveUntil >= onsetAt) {
    return {
      name: 'timing',
      value: 0.95,
      description: `was still rolling out when the anomaly began at ${clockTime(
        onsetAt,
      )}`,
      facts: { ...facts, minutesBeforeOnset: 0 },
    };
  }
  const gap = onsetAt - candidate.liveUntil;
  const minutes = Math.round(gap / 60_000);
  return {
    name: 'timing',
    value: 1 / (1 + gap / HALF_LIFE_MS),
    description: `finished ${formatDuration(gap)} before the onset (${clockTime(
      onsetAt,
    )})`,
    facts: { ...facts, minutesBeforeOnset: minutes },
  };
}

/** `4 minutes`, `2 h 10 min`. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}
