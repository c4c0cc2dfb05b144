import { createHash } from 'crypto';
import { InputError } from '@backstage/errors';
import type { ErrorEventInput } from '@internal/plugin-product-os-node';
import { TEXT_LIMITS } from './bounds';
import { eventTimestamp } from './eventTimestamp';
import { defaultFingerprint, eventFingerprint } from './fingerprint';
import { formattedMessage } from './formatLogentry';
import { eventFrames, exceptionValues, topFrames } from './frames';
import { messageText, trimPayload } from './trimPayload';
import { userKey } from './userKey';
import { asString, asText, JsonObject, truncate } from './values';

/** An error event before it is given to the entities that claim its project. */
export type SentryErrorEvent = Omit<ErrorEventInput, 'entityRef'>;

/**
 * Turns a Sentry event (as an SDK sends it, or as a Sentry webhook carries it) into the error
 * event Product OS stores: fingerprinted, with its title, culprit, top frames, a hashed user key
 * and a trimmed copy of the payload.
 */
export function toErrorEvent(
  event: JsonObject,
  options: {
    projectId: string;
    /** When the event arrived, epoch ms. */
    receivedAt: number;
    /** How far the sender's clock is behind ours, in ms (see `envelope/clockDrift.ts`). */
    clockDriftMs?: number;
    /** The raw bytes, to derive an id for an event that has none. */
    raw?: Buffer;
    /** Overrides the computed fingerprint (webhook events are grouped by their Sentry issue). */
    fingerprint?: string;
    permalink?: string;
  },
): SentryErrorEvent {
  const time = eventTimestamp(event.timestamp, options);
  const exceptions = exceptionValues(event);
  const main = exceptions[exceptions.length - 1];
  const type = asString(main?.type, 256);
  const value = asString(main?.value, 8192);
  const frames = eventFrames(event);
  const top = topFrames(frames);

  const fingerprint =
    options.fingerprint ??
    eventFingerprint(
      event.fingerprint,
      defaultFingerprint({
        type,
        message: value ?? messageText(event),
        frames,
      }),
    );

  return {
    source: 'sentry',
    fingerprint,
    eventId: eventId(event, options.raw),
    title: title(event, type, value),
    culprit: culprit(event, top[0]),
    level: asText(event.level, TEXT_LIMITS.level) ?? 'error',
    timestamp: time.ms,
    release: asText(event.release, TEXT_LIMITS.release),
    environment: asText(event.environment, TEXT_LIMITS.environment),
    topFrames: top,
    ...(options.permalink && { permalink: options.permalink }),
    userKey: userKey(event, options.projectId),
    payload: trimPayload(event, {
      timestampMs: time.ms,
      timestamp: time.adjustment,
    }),
  };
}

/** Sentry's event ids are 32 hex digits, sometimes sent as a dashed UUID. */
function eventId(event: JsonObject, raw?: Buffer): string {
  const given = event.event_id;
  if (given === undefined || given === null) {
    // Derived from the bytes, so a resent copy of the same event is still recognized.
    const bytes = raw ?? Buffer.from(JSON.stringify(event));
    return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  }
  const id =
    typeof given === 'string' ? given.replace(/-/g, '').toLowerCase() : '';
  if (!/^[0-9a-f]{32}$/.test(id)) {
    throw new InputError(
      `Invalid event_id '${String(given).slice(
        0,
        64,
      )}': expected 32 hex digits`,
    );
  }
  return id;
}

/** The group's title: the SDK's, else `Type: value`, else the (formatted) message. */
function title(event: JsonObject, type?: string, value?: string): string {
  const max = TEXT_LIMITS.title;
  const given = asText(event.title, max);
  if (given) return given;
  if (type) return truncate(value ? `${type}: ${firstLine(value)}` : type, max);
  const message = formattedMessage(event) ?? asString(event.transaction, max);
  return message ? truncate(firstLine(message), max) : '<unlabeled event>';
}

function culprit(
  event: JsonObject,
  top?: { filename: string; function?: string },
): string | undefined {
  const max = TEXT_LIMITS.culprit;
  const given = asText(event.culprit, max) ?? asText(event.transaction, max);
  if (given) return given;
  return top
    ? truncate(`${top.function ?? '?'}(${top.filename})`, max)
    : undefined;
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline < 0 ? text : text.slice(0, newline);
}
