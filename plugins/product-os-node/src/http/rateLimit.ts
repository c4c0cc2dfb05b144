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
      next(
        new TooManyRequestsError('Too many requests for this key; retry later'),
      ),
  });
}

/** Checks one request against a per-key rate; see {@link createKeyedRateLimit}. @public */
export type KeyedRateLimit = (
  req: Parameters<RequestHandler>[0],
  res: Parameters<RequestHandler>[1],
  key: string,
) => Promise<void>;

/**
 * A per-key rate for endpoints whose key is only known once the body has been read (a routing
 * key or project key inside the JSON) or verified (a webhook). Called inside the route: resolves
 * when the request is within the rate, rejects with the 429 error (and sets `Retry-After`)
 * otherwise.
 *
 * @public
 */
export function createKeyedRateLimit(
  options: Omit<RateLimitOptions, 'keyOf'>,
): KeyedRateLimit {
  const keys = new WeakMap<object, string>();
  const middleware = createRateLimit({
    ...options,
    keyOf: req => keys.get(req) ?? '',
  });
  return (req, res, key) =>
    new Promise<void>((resolve, reject) => {
      keys.set(req, key);
      middleware(req, res, error => (error ? reject(error) : resolve()));
    });
}

/** A rate shared by everything counted under one name; see {@link createSharedRateLimit}. @public */
export type SharedRateLimit = (name: string) => void;

/**
 * A fixed-window count per name (e.g. one per source for every key no entity claims, so fresh
 * random keys cannot each get a full allowance). Throws the 429 error, with `retryAfterSeconds`
 * until the window ends, once a name is over `limit` in the window. Counts are kept per backend
 * instance; the clock is a parameter so tests need not wait.
 *
 * @public
 */
export function createSharedRateLimit(options: {
  limit: number;
  windowMs?: number;
  now?: () => number;
}): SharedRateLimit {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return name => {
    const at = now();
    let window = windows.get(name);
    if (!window || at - window.start >= windowMs) {
      window = { start: at, count: 0 };
      windows.set(name, window);
    }
    window.count += 1;
    if (window.count > options.limit) {
      throw new TooManyRequestsError(
        'Too many requests for keys no entity claims; retry later',
        {
          retryAfterSeconds: Math.max(
            1,
            Math.ceil((window.start + windowMs - at) / 1000),
          ),
        },
      );
    }
  };
}
