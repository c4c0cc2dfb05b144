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
const MAX_NAME_LENGTH = 200;

/**
 * Keeps the events that have a name, and times them the way PostHog does: an event's
 * `timestamp` is shifted by the difference between the server's clock and the SDK's `sent_at`;
 * without a timestamp, `offset` (milliseconds before sending) or the arrival time is used.
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
  const { sentAt, receivedAt } = options;
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
  return time > receivedAt + MAX_FUTURE_MS ? receivedAt : time;
}
