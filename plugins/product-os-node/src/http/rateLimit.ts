import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { TooManyRequestsError } from './errors';

/** A per-key request rate. @public */
export interface RateLimitOptions {
  /** Requests allowed per key in each window. */
  limit: number;
  /** The window, in milliseconds (default one minute). */
  windowMs?: number;
  /** The key a request counts against: a project key, a routing key, a repository. */
  keyOf(req: Parameters<RequestHandler>[0]): string;
}

/**
 * Limits each sender key to a rate. Over the limit the request fails with 429 and a `Retry-After`
 * header. Counts are kept per backend instance.
 *
 * @public
 */
export function createRateLimit(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs ?? 60_000,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: req => options.keyOf(req),
    // The key is a sender credential, not an IP address, so the IP checks do not apply.
    validate: false,
    handler: (_req, _res, next) =>
      next(new TooManyRequestsError('Too many requests for this key; retry later')),
  });
}
