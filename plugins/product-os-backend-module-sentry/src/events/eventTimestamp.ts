/** An event more than this far in the future is taken to have happened when it arrived. */
export const MAX_SECS_IN_FUTURE_MS = 60_000;

/** The longest timestamp text read; anything longer is not a timestamp. */
const MAX_TIMESTAMP_CHARS = 64;

const NUMERIC = /^\d{1,15}(?:\.\d{1,12})?$/;
// RFC 3339, as the SDKs send it; without an offset it is UTC (Sentry's reading too).
const ISO_8601 =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?([zZ]|[+-]\d{2}:?\d{2})?$/;

/**
 * A timestamp as Sentry's protocol allows it: seconds since the epoch as a number or a numeric
 * string, or an RFC 3339 date-time. Epoch ms, or undefined for anything else (a word, a 15 MiB
 * string of digits, a date before 1970).
 */
export function parseTimestamp(value: unknown): number | undefined {
  let ms: number;
  if (typeof value === 'number') {
    ms = value * 1000;
  } else if (typeof value === 'string' && value.length <= MAX_TIMESTAMP_CHARS) {
    if (NUMERIC.test(value)) {
      ms = Number(value) * 1000;
    } else {
      const parts = ISO_8601.exec(value);
      if (!parts) return undefined;
      const [, date, time, fraction = '', offset = 'Z'] = parts;
      // Date.parse reads milliseconds only; more digits are cut, not rounded.
      const millis = fraction ? `.${fraction.slice(0, 3).padEnd(3, '0')}` : '';
      ms = Date.parse(`${date}T${time}${millis}${offset.toUpperCase()}`);
    }
  } else {
    return undefined;
  }
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
}

/** What became of an event's own timestamp. */
export type TimestampAdjustment = 'invalid' | 'clock_drift' | 'future';

/**
 * The time an event happened, epoch ms, the way Sentry's Relay settles it: the event's own
 * `timestamp`, shifted by the sender's clock drift when one was measured (see
 * `envelope/clockDrift.ts`); the arrival time when the timestamp is missing or invalid, or lies
 * more than a minute in the future even after the correction.
 */
export function eventTimestamp(
  value: unknown,
  options: { receivedAt: number; clockDriftMs?: number },
): { ms: number; adjustment?: TimestampAdjustment } {
  const { receivedAt, clockDriftMs = 0 } = options;
  const given = parseTimestamp(value);
  if (given === undefined) {
    return value === undefined || value === null
      ? { ms: receivedAt }
      : { ms: receivedAt, adjustment: 'invalid' };
  }
  const corrected = given + clockDriftMs;
  if (!Number.isFinite(corrected) || corrected <= 0) {
    return { ms: receivedAt, adjustment: 'invalid' };
  }
  if (corrected > receivedAt + MAX_SECS_IN_FUTURE_MS) {
    return { ms: receivedAt, adjustment: 'future' };
  }
  return clockDriftMs === 0
    ? { ms: corrected }
    : { ms: corrected, adjustment: 'clock_drift' };
}
