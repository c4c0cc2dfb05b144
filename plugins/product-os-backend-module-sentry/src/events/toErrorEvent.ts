import { createHash } from 'crypto';
import { InputError } from '@backstage/errors';
import type { ErrorEventInput } from '@internal/plugin-product-os-node';
import { defaultFingerprint, eventFingerprint } from './fingerprint';
import { eventFrames, exceptionValues, topFrames } from './frames';
import { messageText, trimPayload } from './trimPayload';
import { userKey } from './userKey';
import { asObject, asString, JsonObject } from './values';

/** An error event before it is given to the entities that claim its project. */
export type SentryErrorEvent = Omit<ErrorEventInput, 'entityRef'>;

/** An event more than this far in the future is taken to have happened when it arrived. */
const MAX_CLOCK_SKEW_MS = 60_000;

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
    /** The raw bytes, to derive an id for an event that has none. */
    raw?: Buffer;
    /** Overrides the computed fingerprint (webhook events are grouped by their Sentry issue). */
    fingerprint?: string;
    permalink?: string;
  },
): SentryErrorEvent {
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
    level: asString(event.level, 32) ?? 'error',
    timestamp: timestamp(event.timestamp, options.receivedAt),
    release: asString(event.release, 250),
    environment: asString(event.environment, 250),
    topFrames: top,
    ...(options.permalink && { permalink: options.permalink }),
    userKey: userKey(event, options.projectId),
    payload: trimPayload(event),
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

function title(event: JsonObject, type?: string, value?: string): string {
  const given = asString(event.title, 256);
  if (given) return given;
  if (type)
    return (value ? `${type}: ${firstLine(value)}` : type).slice(0, 256);
  const logentry = asObject(event.logentry) ?? asObject(event.message);
  const message =
    asString(logentry?.formatted, 8192) ??
    messageText(event) ??
    asString(event.transaction);
  return message ? firstLine(message).slice(0, 256) : '<unlabeled event>';
}

function culprit(
  event: JsonObject,
  top?: { filename: string; function?: string },
): string | undefined {
  const given =
    asString(event.culprit, 256) ?? asString(event.transaction, 256);
  if (given) return given;
  return top
    ? `${top.function ?? '?'}(${top.filename})`.slice(0, 256)
    : undefined;
}

function timestamp(value: unknown, receivedAt: number): number {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) {
    ms = Math.round(value * 1000);
  } else if (typeof value === 'string') {
    const numeric = Number(value);
    // Sentry's ISO timestamps are UTC even when they do not say so.
    const iso = /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
    ms = Number.isFinite(numeric)
      ? Math.round(numeric * 1000)
      : Date.parse(iso);
  }
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return receivedAt;
  return ms > receivedAt + MAX_CLOCK_SKEW_MS ? receivedAt : ms;
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return newline < 0 ? text : text.slice(0, newline);
}
