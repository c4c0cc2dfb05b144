import {
  PayloadTooLargeError,
  type ProductOsWorkers,
  yieldToEventLoop,
} from '@internal/plugin-product-os-node';
import { type EventBytes, readEventTask } from '../events/readEvent';
import type { SentryErrorEvent } from '../events/toErrorEvent';
import { asString } from '../events/values';
import { clockDrift } from './clockDrift';
import type { Envelope } from './parseEnvelope';

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
 * an SDK would retry or give up on an envelope refused for them. The event loop gets a turn
 * between event items, and a large item (parsing 1 MiB of JSON takes tens of milliseconds) is
 * read on one of the host's worker threads; an event item over `maxEventBytes` is refused with
 * 413 before any is parsed, as Sentry does.
 */
export async function envelopeEvents(
  envelope: Envelope,
  options: {
    projectId: string;
    receivedAt: number;
    maxEventBytes: number;
    workers: ProductOsWorkers;
  },
): Promise<EnvelopeEvents> {
  const { maxEventBytes, workers, projectId, receivedAt } = options;
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
    const read = await readEventIn(workers, {
      payload: item.payload,
      what: `Item ${index + 1} (${type})`,
      projectId,
      receivedAt,
      clockDriftMs,
    });
    if (read.type === 'event') events.push(read.event);
  }
  const headerId = asString(envelope.header.event_id, 64)
    ?.replace(/-/g, '')
    .toLowerCase();
  return { eventId: headerId ?? events[0]?.eventId, events, itemCounts };
}

/**
 * Reads an event on the event loop when it is small, else on a worker thread, which is given a
 * copy of the event's bytes alone (a view would carry the whole body across).
 */
export function readEventIn(workers: ProductOsWorkers, input: EventBytes) {
  return workers.run(
    readEventTask,
    { ...input, payload: new Uint8Array(input.payload) },
    { bytes: input.payload.byteLength },
  );
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
