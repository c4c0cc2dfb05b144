import { InputError } from '@backstage/errors';

/** The header of an envelope item; `type` says what the payload is. */
export interface EnvelopeItemHeader {
  type: string;
  /** When given, the payload is exactly this many bytes; otherwise it runs to the next newline. */
  length?: number;
  [key: string]: unknown;
}

/** One item of an envelope, its payload still raw bytes. */
export interface EnvelopeItem {
  header: EnvelopeItemHeader;
  payload: Buffer;
}

/** A Sentry envelope: a JSON header line followed by items. */
export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

const NEWLINE = 0x0a;
const MAX_ITEMS = 1000;
/**
 * The longest header line read, in bytes. Headers are a few hundred bytes (type, length, ids,
 * the SDK's name, a trace context); a longer one is refused rather than parsed, since a header
 * is parsed on the event loop and the body may inflate to 20 MiB.
 */
export const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Parses the envelope format the Sentry SDKs send
 * (https://develop.sentry.dev/sdk/data-model/envelopes/): a JSON header line, then items, each a
 * JSON header line followed by its payload. A payload whose header gives `length` is exactly that
 * many bytes (binary attachments may contain newlines); otherwise it runs to the next newline.
 *
 * Strict on structure, since a malformed envelope means a broken or hostile sender: a truncated
 * payload, a payload that does not end where its `length` says, or a header that is not a JSON
 * object, or one longer than {@link MAX_HEADER_BYTES}, throws an {@link InputError} naming the
 * problem. Payloads are not parsed here.
 */
export function parseEnvelope(body: Buffer): Envelope {
  if (body.length === 0) throw new InputError('Empty envelope');
  let offset = 0;

  function readLine(): Buffer {
    let end = body.indexOf(NEWLINE, offset);
    if (end < 0) end = body.length;
    const line = body.subarray(offset, end);
    offset = Math.min(end + 1, body.length);
    return line;
  }

  function readHeader(what: string): Record<string, unknown> {
    const line = readLine();
    if (line.length > MAX_HEADER_BYTES) {
      throw new InputError(
        `${what} is ${line.length} bytes; a header may be at most ${MAX_HEADER_BYTES} bytes`,
      );
    }
    return parseJsonObject(line, what);
  }

  const header = readHeader('Envelope header');
  const items: EnvelopeItem[] = [];
  while (offset < body.length) {
    const position = items.length + 1;
    if (position > MAX_ITEMS) {
      throw new InputError(`Envelope has more than ${MAX_ITEMS} items`);
    }
    const itemHeader = readHeader(`Item ${position} header`);
    if (typeof itemHeader.type !== 'string' || itemHeader.type === '') {
      throw new InputError(`Item ${position} header has no type`);
    }
    const length = itemHeader.length;
    let payload: Buffer;
    if (length === undefined || length === null) {
      payload = readLine();
    } else {
      if (
        typeof length !== 'number' ||
        !Number.isSafeInteger(length) ||
        length < 0
      ) {
        throw new InputError(
          `Item ${position} (${itemHeader.type}) has an invalid length`,
        );
      }
      const available = body.length - offset;
      if (length > available) {
        throw new InputError(
          `Envelope is truncated: item ${position} (${itemHeader.type}) declares ${length} bytes but ${available} follow`,
        );
      }
      payload = body.subarray(offset, offset + length);
      offset += length;
      if (offset < body.length) {
        if (body[offset] !== NEWLINE) {
          throw new InputError(
            `Item ${position} (${itemHeader.type}) is longer than its declared length of ${length} bytes`,
          );
        }
        offset += 1;
      }
    }
    items.push({ header: itemHeader as EnvelopeItemHeader, payload });
  }
  return { header, items };
}

/** Parses bytes that must hold a JSON object; the error says `what` was not one. */
export function parseJsonObject(
  bytes: Buffer,
  what: string,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InputError(
      `${what} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}
