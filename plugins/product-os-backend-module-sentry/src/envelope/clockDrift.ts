import { parseTimestamp } from '../events/eventTimestamp';

/**
 * Below this, a difference between the sender's clock and ours is network latency or ordinary
 * skew and is left alone. Sentry's Relay uses the same 55 minutes, which still catches a
 * sender's clock set to the wrong time zone.
 */
export const MINIMUM_CLOCK_DRIFT_MS = 55 * 60_000;

/**
 * How far the sender's clock is behind ours (negative: ahead), in ms, from the envelope header's
 * `sent_at`, or 0 when the drift is under {@link MINIMUM_CLOCK_DRIFT_MS} or `sent_at` is missing
 * or not a timestamp. Added to the event's timestamp, it puts the event on our clock, as Relay's
 * clock-drift correction does. Whatever the sender claims, the corrected timestamp is still
 * checked (no later than a minute after arrival, after 1970), so a hostile `sent_at` can only
 * move an event within what its own `timestamp` could.
 */
export function clockDrift(sentAt: unknown, receivedAt: number): number {
  const sent = parseTimestamp(sentAt);
  if (sent === undefined) return 0;
  const drift = receivedAt - sent;
  return Math.abs(drift) >= MINIMUM_CLOCK_DRIFT_MS ? drift : 0;
}
