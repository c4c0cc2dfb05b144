import { InputError } from '@backstage/errors';
import type { Request } from 'express';
import getRawBody from 'raw-body';
import { promisify } from 'util';
import * as zlib from 'zlib';
import { PayloadTooLargeError } from './errors';

/** Size limits of an ingestion request body, in bytes. @public */
export interface BodyLimits {
  /** As it arrives on the wire (compressed). */
  limit: number;
  /** After decompression; a gzip bomb is refused once it inflates past this. */
  decompressedLimit: number;
}

/** Default body limits: 1 MiB on the wire, 20 MiB decompressed (what Sentry's relay accepts). @public */
export const DEFAULT_BODY_LIMITS: BodyLimits = {
  limit: 1024 * 1024,
  decompressedLimit: 20 * 1024 * 1024,
};

/** Options of {@link readRequestBody}. @public */
export interface ReadBodyOptions {
  /**
   * Inflate a body that starts with gzip's magic bytes (1f 8b) even without a Content-Encoding,
   * as PostHog's capture does: posthog-js sends gzip as `text/plain` with no marker at all.
   */
  sniffGzip?: boolean;
}

/**
 * Reads the raw body of a request, decompressing `Content-Encoding` gzip, deflate or br.
 * Signatures are verified over these exact bytes, so no JSON parser may have run before.
 *
 * Decompression runs on libuv's thread pool (zlib's async API), so inflating up to
 * `decompressedLimit` never holds the event loop; it stops with a 413 as soon as the output
 * passes the limit, so a gzip bomb costs no more than the limit.
 *
 * @public
 */
export async function readRequestBody(
  req: Request,
  limits: BodyLimits = DEFAULT_BODY_LIMITS,
  options: ReadBodyOptions = {},
): Promise<Buffer> {
  let raw: Buffer;
  try {
    raw = await getRawBody(req, { limit: limits.limit });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') {
      throw new PayloadTooLargeError(
        `Request body is larger than ${limits.limit} bytes`,
      );
    }
    throw new InputError(
      `Could not read the request body: ${(error as Error).message}`,
    );
  }
  let encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (options.sniffGzip && isIdentity(encoding) && isGzip(raw)) {
    encoding = 'gzip';
  }
  return decompressBody(raw, encoding, limits.decompressedLimit);
}

/** Whether the bytes start with gzip's magic number. @public */
export function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function isIdentity(encoding: string): boolean {
  return encoding === '' || encoding === 'identity';
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotliDecompress = promisify(zlib.brotliDecompress);

/**
 * Decompresses a body by its content encoding, on the thread pool, refusing with a 413 one that
 * inflates past `maxOutputLength` bytes.
 *
 * @public
 */
export async function decompressBody(
  raw: Buffer,
  encoding: string,
  maxOutputLength: number,
): Promise<Buffer> {
  const options = { maxOutputLength };
  try {
    switch (encoding) {
      case '':
      case 'identity':
        return raw;
      case 'gzip':
      case 'x-gzip':
        return await gunzip(raw, options);
      case 'deflate':
        return await inflateEither(raw, options);
      case 'br':
        return await brotliDecompress(raw, options);
      default:
        throw new InputError(`Unsupported Content-Encoding '${encoding}'`);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(
        `Request body decompresses to more than ${maxOutputLength} bytes`,
      );
    }
    throw new InputError(
      `Could not decompress the ${encoding} body: ${(error as Error).message}`,
    );
  }
}

/** HTTP "deflate" is meant to be zlib-wrapped, but some senders send raw deflate. */
async function inflateEither(
  raw: Buffer,
  options: zlib.ZlibOptions,
): Promise<Buffer> {
  try {
    return await inflate(raw, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw error;
    return await inflateRaw(raw, options);
  }
}
