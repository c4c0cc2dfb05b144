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
 * - either of those form-encoded as `data=<JSON or base64 JSON>` (older browser SDKs).
 *
 * The project key may also come from the `api_key` or `token` query parameter.
 */
export function parseCaptureRequest(
  body: Buffer,
  options: { query: Record<string, unknown>; contentType?: string },
): CaptureRequest {
  const json = parseBody(body.toString('utf8'), options.contentType);

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

  const sentAt =
    typeof envelope.sent_at === 'string' ? Date.parse(envelope.sent_at) : NaN;
  return {
    apiKey: apiKey.trim(),
    sentAt: Number.isNaN(sentAt) ? undefined : sentAt,
    events: objects,
  };
}

function parseBody(text: string, contentType: string | undefined): unknown {
  let json = text;
  if (
    contentType?.includes('application/x-www-form-urlencoded') ||
    text.startsWith('data=')
  ) {
    const data = new URLSearchParams(text).get('data');
    if (data === null)
      throw new InputError('The form-encoded body has no "data" field');
    json = /^\s*[[{]/.test(data)
      ? data
      : Buffer.from(data, 'base64').toString('utf8');
  }
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new InputError(
      `Request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
