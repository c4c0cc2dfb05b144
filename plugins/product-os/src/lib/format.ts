// Shared with the backend's notifications, so a figure reads the same in both.
export { formatCount, formatPercent } from '@internal/plugin-product-os-common';

/** Said instead of a change when the window before had nothing to compare with. */
export const NO_BASELINE = 'no baseline yet';

/**
 * The change from a previous value, as people read it: "+120%", "-40%", "no change", or
 * "no baseline yet" when there was nothing before (a first week is not a rise from zero).
 */
export function describeChange(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? 'no change' : NO_BASELINE;
  if (current === previous) return 'no change';
  const percent = Math.round(((current - previous) / previous) * 100);
  if (percent === 0) return current > previous ? '+<1%' : '-<1%';
  return percent > 0 ? `+${percent}%` : `${percent}%`;
}

/** A duration in the two largest units: "45s", "12m", "3h 20m", "2d 4h". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest ? `${hours}h ${rest}m` : `${hours}h`;
  }
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days}d ${rest}h` : `${days}d`;
}

/** The duration between two ISO times, or undefined when the end has not happened. */
export function durationBetween(from: string, to?: string): number | undefined {
  return to === undefined ? undefined : Date.parse(to) - Date.parse(from);
}
