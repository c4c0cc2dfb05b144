import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * Request headers the vendors' browser SDKs send: `@sentry/browser` posts envelopes as
 * `text/plain` (its key is in the query) and may add `sentry-trace` / `baggage`; posthog-js posts
 * `application/json` or `text/plain` (gzip). Never `Authorization` or cookies: a page must not
 * be able to send a Backstage credential here.
 */
const SDK_REQUEST_HEADERS = [
  'content-type',
  'content-encoding',
  'x-sentry-auth',
  'sentry-trace',
  'baggage',
];

/** Response headers the SDKs read to back off (Sentry's rate limits, 429/503 Retry-After). */
const SDK_RESPONSE_HEADERS = ['retry-after', 'x-sentry-rate-limits'];

/**
 * CORS for one source's vendor routes, so browser SDKs on the configured origins can send.
 * Mounted on the source's path only: the plugin's read API keeps Backstage's own `backend.cors`.
 * A preflight from an allowed origin is answered here (204); from any other origin it gets no
 * CORS headers, so the browser refuses to send.
 */
export function vendorCors(allowedOrigins: string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return cors({
    origin: allowed.has('*')
      ? '*'
      : (origin, callback) =>
          callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: SDK_REQUEST_HEADERS,
    exposedHeaders: SDK_RESPONSE_HEADERS,
    // No cookies or HTTP auth: the vendor routes authenticate by the SDK's public key.
    credentials: false,
    // Browsers cap this (Chromium at 2 hours); 10 minutes spares a preflight per send.
    maxAge: 600,
  });
}
