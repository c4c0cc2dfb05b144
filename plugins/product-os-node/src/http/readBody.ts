import { InputError } from '@backstage/errors';
import type { Request } from 'express';
import getRawBody from 'raw-body';
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

/**
 * Reads the raw body of a request, decompressing `Content-Encoding` gzip, deflate or br.
 * Signatures are verified over these exact bytes, so no JSON parser may have run before.
 *
 * @public
 */
export async function readRequestBody(
  req: Request,
  limits: BodyLimits = DEFAULT_BODY_LIMITS,
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
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  return decompress(raw, encoding, limits.decompressedLimit);
}

function decompress(
  raw: Buffer,
  encoding: string,
  maxOutputLength: number,
): Buffer {
  const options = { maxOutputLength };
  try {
    switch (encoding) {
      case '':
      case 'identity':
        return raw;
      case 'gzip':
      case 'x-gzip':
        return zlib.gunzipSync(raw, options);
      case 'deflate':
        return inflateEither(raw, options);
      case 'br':
        return zlib.brotliDecompressSync(raw, options);
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
function inflateEither(raw: Buffer, options: zlib.ZlibOptions): Buffer {
  try {
    return zlib.inflateSync(raw, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw error;
    return zlib.inflateRawSync(raw, options);
  }
}
