import { retryAfterOf } from '@internal/plugin-product-os-node';
import type { ErrorRequestHandler } from 'express';

/**
 * The error handler of the vendor routes, before Backstage's own. An error that says when to
 * come back (a 429 of a shared rate, a 503 while the database is unreachable) gets its
 * `Retry-After` header. Every 503 (the database unreachable, a source whose secret is not
 * configured) is answered here, in Backstage's error body, because Backstage's handler logs
 * every 5xx and would log once per request what was logged once already (by the store, or by
 * the module at startup).
 */
export function sourceErrors(): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const seconds = retryAfterOf(error);
    if (seconds !== undefined) res.setHeader('Retry-After', String(seconds));
    if (error?.statusCode !== 503) {
      next(error);
      return;
    }
    res.status(503).json({
      // Not the cause: the database's address is nothing a sender needs.
      error: { name: error.name, message: error.message },
      request: { method: req.method, url: req.url },
      response: { statusCode: 503 },
    });
  };
}
