import { workerTask } from '@internal/plugin-product-os-node';
import { parseJsonObject } from '../envelope/parseEnvelope';
import { SentryErrorEvent, toErrorEvent } from './toErrorEvent';
import { asString } from './values';

/** One error event's bytes, as an envelope item or the legacy store endpoint carries them. */
export interface EventBytes {
  /** A copy of the event's JSON: a thread is given these bytes, not the whole body around them. */
  payload: Uint8Array;
  /** Names the event in errors (`Item 2 (event)`, `Event`). */
  what: string;
  projectId: string;
  receivedAt: number;
  clockDriftMs?: number;
  /** The legacy store endpoint's: a transaction is counted, not stored. */
  acceptTransactions?: boolean;
}

/** What the bytes held: an error event to store, or a transaction that is only counted. */
export type ReadEvent =
  | { type: 'event'; event: SentryErrorEvent }
  | { type: 'transaction'; id?: string };

/**
 * Parses and maps one event: the step of an envelope that holds the event loop longest (a
 * `JSON.parse` of up to `eventBytes`, which cannot be sliced), so a large event is read on one
 * of the host's worker threads ({@link readEventTask}); what comes back is the mapped event,
 * with its payload trimmed to the sample's bounds.
 */
export function readEvent(input: EventBytes): ReadEvent {
  const bytes = Buffer.from(
    input.payload.buffer,
    input.payload.byteOffset,
    input.payload.byteLength,
  );
  const event = parseJsonObject(bytes, input.what);
  // Before envelopes, SDKs sent transactions to the store endpoint too.
  if (input.acceptTransactions && event.type === 'transaction')
    return { type: 'transaction', id: asString(event.event_id, 64) };
  return {
    type: 'event',
    event: toErrorEvent(event, {
      projectId: input.projectId,
      receivedAt: input.receivedAt,
      clockDriftMs: input.clockDriftMs,
      raw: bytes,
    }),
  };
}

export const readEventTask = workerTask(__filename, 'readEvent', readEvent);
