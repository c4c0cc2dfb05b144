import { isObject } from './parseCaptureRequest';

/** A captured event, reduced to what Product OS reads. */
export interface CapturedEvent {
  name: string;
  distinctId?: string;
  /**
   * Sent without a person (`$process_person_profile: false`): posthog-node gives such events a
   * random distinct id, so they are not counted as users.
   */
  personless: boolean;
  /** When it happened, epoch ms, corrected for the sender's clock. */
  timestamp: number;
  uuid?: string;
  properties: Record<string, unknown>;
}

/** PostHog moves events from further in the future than this to the time they arrived. */
const MAX_FUTURE_MS = 23 * 3_600_000;
/** PostHog's valid years: a time outside them (a hostile `sent_at` or `offset`) is replaced. */
const MIN_TIME = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');
const MAX_NAME_LENGTH = 200;

/**
 * Keeps the events that have a name, and times them the way PostHog does: an event's
 * `timestamp` is shifted by the difference between the server's clock and the SDK's `sent_at`
 * (`timestamp + (receivedAt - sent_at)`, unless the event sets `$ignore_sent_at`); without a
 * timestamp, `offset` (milliseconds before sending) or the arrival time is used. A time more
 * than 23 hours ahead of the arrival, or outside the years 0–9999, becomes the arrival time.
 */
export function normalizeEvents(
  raw: Record<string, unknown>[],
  options: { sentAt?: number; receivedAt: number },
): { events: CapturedEvent[]; dropped: number } {
  const events: CapturedEvent[] = [];
  for (const event of raw) {
    const name = typeof event.event === 'string' ? event.event.trim() : '';
    if (!name || name.length > MAX_NAME_LENGTH) continue;
    const properties = isObject(event.properties) ? event.properties : {};
    events.push({
      name,
      distinctId: distinctIdOf(event.distinct_id ?? properties.distinct_id),
      personless: properties.$process_person_profile === false,
      timestamp: timeOf(event, options),
      uuid:
        typeof event.uuid === 'string' && event.uuid
          ? event.uuid.slice(0, 100)
          : undefined,
      properties,
    });
  }
  return { events, dropped: raw.length - events.length };
}

function distinctIdOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  return id && id !== 'undefined' && id !== 'null' ? id : undefined;
}

function timeOf(
  event: Record<string, unknown>,
  options: { sentAt?: number; receivedAt: number },
): number {
  const { receivedAt } = options;
  const properties = isObject(event.properties) ? event.properties : {};
  const sentAt =
    properties.$ignore_sent_at === true ? undefined : options.sentAt;
  const stated =
    typeof event.timestamp === 'string' ? Date.parse(event.timestamp) : NaN;
  let time: number;
  if (!Number.isNaN(stated)) {
    time = sentAt === undefined ? stated : stated + (receivedAt - sentAt);
  } else if (
    typeof event.offset === 'number' &&
    Number.isFinite(event.offset)
  ) {
    time = receivedAt - event.offset;
  } else {
    time = receivedAt;
  }
  if (!Number.isFinite(time) || time < MIN_TIME || time > MAX_TIME)
    return receivedAt;
  return time > receivedAt + MAX_FUTURE_MS ? receivedAt : time;
}
