import { bucketStart, HOUR_MS } from '../../time';

/** The hours a detector looks at, given the clock. */
export interface HourWindow {
  /** Start of the hour `now` falls in. */
  current: number;
  /** How much of the current hour has elapsed, 0 to 1. */
  fraction: number;
  /** The newest hour worth judging: the current one once a quarter of it has passed. */
  newest: number;
}

export function hourWindow(now: number, minFraction = 0.25): HourWindow {
  const current = bucketStart(now, HOUR_MS);
  const fraction = (now - current) / HOUR_MS;
  return {
    current,
    fraction,
    newest: fraction >= minFraction ? current : current - HOUR_MS,
  };
}

/** Share of the hour starting at `bucket` that lies before `now`. */
export function elapsed(bucket: number, window: HourWindow): number {
  return bucket === window.current ? window.fraction : 1;
}

/** Formats epoch ms as `HH:MM UTC`, the way summaries name times. */
export function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/** Formats a ratio for people: `14×`, `2.5×`. */
export function times(ratio: number): string {
  return `${ratio >= 10 ? Math.round(ratio) : Math.round(ratio * 10) / 10}×`;
}
