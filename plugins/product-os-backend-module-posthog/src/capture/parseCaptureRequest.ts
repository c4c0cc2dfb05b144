import { AuthenticationError, InputError } from '@backstage/errors';

/** A capture request as an SDK sent it: the project key and its raw events. */
export interface CaptureRequest {
  apiKey: string;
  /** When the SDK sent the request by its own clock (epoch ms), to correct event times. */
  sentAt?: number;
  events: Record<string, unknown>[];
}

const MAX_API_KEY_LENGTH = 200;

/**
 * Reads the body of a capture request in the shapes the PostHog SDKs send:
 *
 * - `{ "api_key": "phc_…", "batch": [event, …], "sent_at": "…" }` (posthog-node's `/batch/`),
 * - a single event `{ "event": "…", "api_key" | "token": "…", … }` or an array of events
 *   (`/capture/`, `/e/`; the key may also be each event's `properties.token`),
 * - either of those form-encoded as `data=<JSON or base64 JSON>` (posthog-js's `sendBeacon`
 *   fallback, marked `?compression=base64`, and older browser SDKs), or a bare base64 body
 *   marked `?compression=base64`.
 *
 * The body is already inflated: gzip is recognised by its magic bytes when it is read. The
 * project key may also come from the `api_key` or `token` query parameter, and the send time
 * from the `_` or `sent_at` query parameter (epoch ms) when the body carries no `sent_at`.
 */
export function parseCaptureRequest(
  body: Buffer,
  options: { query: Record<string, unknown>; contentType?: string },
): CaptureRequest {
  const json = parseBody(
    body.toString('utf8'),
    options.contentType,
    options.query.compression === 'base64',
  );

  let envelope: Record<string, unknown> = {};
  let events: unknown[];
  if (Array.isArray(json)) {
    events = json;
  } else if (isObject(json) && Array.isArray(json.batch)) {
    envelope = json;
    events = json.batch;
  } else if (isObject(json) && typeof json.event === 'string') {
    envelope = json;
    events = [json];
  } else {
    throw new InputError(
      'Not a PostHog capture request: expected "batch", "event" or an array of events',
    );
  }
  const objects = events.filter(isObject);
  const first = objects[0];

  const apiKey = [
    envelope.api_key,
    envelope.token,
    options.query.api_key,
    options.query.token,
    first?.api_key,
    first?.token,
    isObject(first?.properties) ? first.properties.token : undefined,
  ].find(
    (candidate): candidate is string =>
      typeof candidate === 'string' && candidate.trim() !== '',
  );
  if (!apiKey) {
    throw new AuthenticationError(
      'The request names no project API key (api_key)',
    );
  }
  if (apiKey.length > MAX_API_KEY_LENGTH) {
    throw new AuthenticationError('The project API key (api_key) is not valid');
  }

  return {
    apiKey: apiKey.trim(),
    sentAt: sentAtOf(envelope.sent_at, options.query),
    events: objects,
  };
}

/**
 * When the SDK sent the request by its own clock: the body's `sent_at` (ISO time, what
 * posthog-node and posthog-js send), else the `_` or `sent_at` query parameter in epoch ms (as
 * PostHog's capture reads it). Anything unparseable or outside JavaScript's time range counts
 * as not given, so no event time is corrected by it.
 */
function sentAtOf(
  body: unknown,
  query: Record<string, unknown>,
): number | undefined {
  let time = NaN;
  if (typeof body === 'string') {
    time = Date.parse(body);
  } else {
    const param = query._ ?? query.sent_at;
    if (typeof param === 'string' && /^\d{1,16}$/.test(param))
      time = Number(param);
  }
  return Number.isFinite(time) && !Number.isNaN(new Date(time).getTime())
    ? time
    : undefined;
}

function parseBody(
  text: string,
  contentType: string | undefined,
  base64: boolean,
): unknown {
  let json = text;
  if (
    contentType?.includes('application/x-www-form-urlencoded') ||
    text.startsWith('data=')
  ) {
    const data = new URLSearchParams(text).get('data');
    if (data === null)
      throw new InputError('The form-encoded body has no "data" field');
    json = /^\s*[[{]/.test(data) ? data : decodeBase64(data);
  } else if (base64 && !/^\s*[[{]/.test(text)) {
    json = decodeBase64(text);
  }
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new InputError(
      `Request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/**
 * Base64 as the browser SDKs send it. A `+` that was not URL-encoded arrives as a space in form
 * data, so spaces are read back as `+`, like PostHog's capture does.
 */
function decodeBase64(data: string): string {
  return Buffer.from(data.trim().replace(/ /g, '+'), 'base64').toString('utf8');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
