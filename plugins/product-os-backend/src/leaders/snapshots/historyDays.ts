import { DAY_MS } from '../../time';

/** Days of history a roll-up and an entity's history return, and the snapshots kept for them. */
export const HISTORY_DAYS = 90;

/** The start of the oldest day of a 90-day history ending today. */
export function firstHistoryDay(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS - (HISTORY_DAYS - 1) * DAY_MS;
}
