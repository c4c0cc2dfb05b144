import type {
  ErrorEventInput,
  MetricPointInput,
} from '@internal/plugin-product-os-node';
import { workerTask } from '@internal/plugin-product-os-node';
import { createHash } from 'crypto';
import { mapException } from '../exceptions/mapException';
import { toMetricPoints } from '../metrics/toMetricPoints';
import { CapturedEvent, normalizeEvents } from './normalizeEvents';
import { parseCaptureRequest } from './parseCaptureRequest';
import { userKeyOf } from './userKey';

/** Events per part, each part stored in its own transaction (see `ingestCapture.ts`). */
export const EVENTS_PER_PART = 2000;
/** Exceptions per error write, and per slice of {@link CapturePart.exceptionSlices}. */
export const EXCEPTIONS_PER_WRITE = 100;

/** A part of a capture request as it is written: for no entity yet, every user key hashed. */
export interface CapturePart {
  /** Hourly points per event name, `entityRef` left empty. */
  points: MetricPointInput[];
  /**
   * The part's `$exception` events as error events, in JSON slices of
   * {@link EXCEPTIONS_PER_WRITE}, each parsed just before it is written. A thread's answer is
   * read back on the event loop in one step, and 3,000 mapped exceptions as objects took 20-40 ms
   * to read; as strings they cross as a copy.
   */
  exceptionSlices: string[];
}

/** A capture request's body and what it is read with. */
export interface CaptureBody {
  /** A copy of the (inflated) body, not a view of a larger buffer. */
  body: Uint8Array;
  query: Record<string, unknown>;
  contentType?: string;
  receivedAt: number;
}

/** A capture request read and mapped, ready to be written for the entities that claim it. */
export interface PreparedCapture {
  apiKey: string;
  /** Derived from the body, so that a retried request is recognised. */
  deliveryId: string;
  parts: CapturePart[];
}

/**
 * Everything a capture request costs before it is written: parsing (up to 2 MiB of JSON in one
 * `JSON.parse`), timing the events, hashing every user key and mapping the exceptions. A large
 * body is prepared on one of the host's worker threads ({@link prepareCaptureTask}), and what
 * comes back is small: hashed keys and counts, not the events.
 */
export function prepareCapture(input: CaptureBody): PreparedCapture {
  const body = Buffer.from(
    input.body.buffer,
    input.body.byteOffset,
    input.body.byteLength,
  );
  const request = parseCaptureRequest(body, {
    query: input.query,
    contentType: input.contentType,
  });
  const { events } = normalizeEvents(request.events, {
    sentAt: request.sentAt,
    receivedAt: input.receivedAt,
  });
  const parts: CapturePart[] = [];
  for (let start = 0; start < events.length; start += EVENTS_PER_PART)
    parts.push(
      capturePart(request.apiKey, events.slice(start, start + EVENTS_PER_PART)),
    );
  return {
    apiKey: request.apiKey,
    deliveryId: `capture:${createHash('sha256').update(body).digest('hex')}`,
    parts,
  };
}

export const prepareCaptureTask = workerTask(
  __filename,
  'prepareCapture',
  prepareCapture,
);

/** One part's metric points and error events. No property or raw distinct id is kept. */
export function capturePart(
  apiKey: string,
  events: CapturedEvent[],
): CapturePart {
  // Each user's key is hashed once, whatever the number of entities it is written for.
  const userKeys = new Map<CapturedEvent, string>();
  for (const event of events) {
    if (event.distinctId && !event.personless)
      userKeys.set(event, userKeyOf(apiKey, event.distinctId));
  }
  const exceptions: Omit<ErrorEventInput, 'entityRef'>[] = events
    .filter(event => event.name === '$exception')
    .map(event => mapException(event, userKeys.get(event)));
  const exceptionSlices: string[] = [];
  for (let start = 0; start < exceptions.length; start += EXCEPTIONS_PER_WRITE)
    exceptionSlices.push(
      JSON.stringify(exceptions.slice(start, start + EXCEPTIONS_PER_WRITE)),
    );
  return {
    points: toMetricPoints(events, '', event => userKeys.get(event)),
    exceptionSlices,
  };
}
