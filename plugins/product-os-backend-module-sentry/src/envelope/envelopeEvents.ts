import {
  PayloadTooLargeError,
  yieldToEventLoop,
} from '@internal/plugin-product-os-node';
import { SentryErrorEvent, toErrorEvent } from '../events/toErrorEvent';
import { asString } from '../events/values';
import { clockDrift } from './clockDrift';
import { Envelope, parseJsonObject } from './parseEnvelope';

/** Item types that carry an error event. */
const EVENT_ITEM_TYPES = new Set(['event']);

/** What an envelope brought: its error events, and how many items of each type it held. */
export interface EnvelopeEvents {
  /** The id Sentry answers with: the envelope's `event_id`, else its first event's. */
  eventId?: string;
  events: SentryErrorEvent[];
  itemCounts: Map<string, number>;
}

/**
 * Picks the error events out of an envelope. Every other item (transactions, sessions,
 * attachments, client reports, check-ins, replays, ...) is counted and otherwise accepted, since
 * an SDK would retry or give up on an envelope refused for them. Parsing and trimming a large
 * event takes tens of milliseconds, so the event loop gets a turn between event items; an event
 * item over `maxEventBytes` is refused with 413 before any is parsed, as Sentry does.
 */
export async function envelopeEvents(
  envelope: Envelope,
  options: { projectId: string; receivedAt: number; maxEventBytes: number },
): Promise<EnvelopeEvents> {
  const { maxEventBytes, ...eventOptions } = options;
  // One sender's clock for the whole envelope, measured by its `sent_at`.
  const clockDriftMs = clockDrift(envelope.header.sent_at, options.receivedAt);
  for (const [index, item] of envelope.items.entries()) {
    if (EVENT_ITEM_TYPES.has(item.header.type))
      assertEventSize(
        item.payload,
        maxEventBytes,
        `Item ${index + 1} (${item.header.type})`,
      );
  }
  const events: SentryErrorEvent[] = [];
  const itemCounts = new Map<string, number>();
  for (const [index, item] of envelope.items.entries()) {
    const type = item.header.type;
    itemCounts.set(type, (itemCounts.get(type) ?? 0) + 1);
    if (!EVENT_ITEM_TYPES.has(type)) continue;
    if (events.length > 0) await yieldToEventLoop();
    const event = parseJsonObject(item.payload, `Item ${index + 1} (${type})`);
    events.push(
      toErrorEvent(event, { ...eventOptions, clockDriftMs, raw: item.payload }),
    );
  }
  const headerId = asString(envelope.header.event_id, 64)
    ?.replace(/-/g, '')
    .toLowerCase();
  return { eventId: headerId ?? events[0]?.eventId, events, itemCounts };
}

/** Refuses (413) an event larger than Sentry accepts; `what` names it. */
export function assertEventSize(
  payload: Buffer,
  maxBytes: number,
  what: string,
) {
  if (payload.length > maxBytes) {
    throw new PayloadTooLargeError(
      `${what} is ${payload.length} bytes; an event may be at most ${maxBytes} bytes`,
    );
  }
}
