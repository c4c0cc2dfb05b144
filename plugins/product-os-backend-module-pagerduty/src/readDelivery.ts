import { workerTask } from '@internal/plugin-product-os-node';
import { createHash } from 'crypto';
import {
  type Parsed,
  parseAlertEvent,
  parseChangeEvent,
  routingKeyOf,
} from './events/parseEvents';
import {
  type IncidentWebhookChange,
  mapIncidentWebhook,
} from './webhooks/mapIncidentWebhook';
import { parseWebhookEvent } from './webhooks/parseWebhookEvent';

/*
 * Parsing and mapping a request body: the steps that hold the event loop longest (a `JSON.parse`
 * of up to 512 KiB), so the router runs them on one of the host's worker threads when the body is
 * large. Input is a copy of the body; output is the mapped event, never the parsed body.
 */

/** A verified V3 webhook, read: its event id (the delivery's key) and what it changes. */
export interface IncidentWebhookDelivery {
  eventId: string;
  change: IncidentWebhookChange;
}

/** Reads a V3 webhook body; a body that is not one is the sender's error (400). */
export function readIncidentWebhook(body: Uint8Array): IncidentWebhookDelivery {
  const event = parseWebhookEvent(asBuffer(body));
  return { eventId: event.id, change: mapIncidentWebhook(event) };
}

/**
 * An Events API request, read: not JSON (PagerDuty's own 400 with the reason), or its routing
 * key (rate-limited before the event's problems are answered, as before), the event or its
 * problems, and the key a resent body is known by.
 */
export type EventsApiRequest<E> =
  | { kind: 'not-json'; errors: string[] }
  | {
      kind: 'read';
      routingKey?: string;
      parsed: Parsed<E>;
      eventKey: string;
    };

function readEventsApiRequest<E>(
  body: Uint8Array,
  parse: (json: unknown) => Parsed<E>,
): EventsApiRequest<E> {
  const buffer = asBuffer(body);
  let json: unknown;
  try {
    json = JSON.parse(buffer.toString('utf8'));
  } catch (error) {
    return {
      kind: 'not-json',
      errors: [`Request body is not valid JSON: ${(error as Error).message}`],
    };
  }
  return {
    kind: 'read',
    routingKey: routingKeyOf(json),
    parsed: parse(json),
    eventKey: createHash('sha256').update(buffer).digest('hex').slice(0, 40),
  };
}

function asBuffer(body: Uint8Array): Buffer {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

export const readIncidentWebhookTask = workerTask(
  __filename,
  'readIncidentWebhook',
  readIncidentWebhook,
);

export const readAlertEventTask = workerTask(
  __filename,
  'readAlertEvent',
  (body: Uint8Array) => readEventsApiRequest(body, parseAlertEvent),
);

export const readChangeEventTask = workerTask(
  __filename,
  'readChangeEvent',
  (body: Uint8Array) => readEventsApiRequest(body, parseChangeEvent),
);
