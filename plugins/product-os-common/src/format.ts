/*
 * The few number and span formats that the portal and the backend's messages (notifications)
 * both write, so a figure reads the same on the page and in a notification.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** 12345 -> "12,345" @public */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** 0.82 -> "82%" @public */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** A stretch of time in words: "less than a minute", "12 min", "3 h 20 min", "2 days". @public */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE_MS) return 'less than a minute';
  if (abs < HOUR_MS) return `${Math.round(abs / MINUTE_MS)} min`;
  if (abs < DAY_MS) {
    const hours = Math.floor(abs / HOUR_MS);
    const minutes = Math.round((abs % HOUR_MS) / MINUTE_MS);
    return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  const days = Math.round(abs / DAY_MS);
  return days === 1 ? '1 day' : `${days} days`;
}
