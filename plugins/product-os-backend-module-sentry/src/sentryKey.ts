import type { Request } from 'express';

/**
 * The DSN public key a request authenticates with: the `sentry_key` query parameter (what the
 * JavaScript SDKs send) or the `sentry_key` field of an `X-Sentry-Auth` (or `Authorization`)
 * header of the form `Sentry sentry_key=..., sentry_version=7, ...`.
 */
export function sentryKey(req: Request): string | undefined {
  const query = req.query.sentry_key;
  if (typeof query === 'string' && query !== '') return query;
  for (const name of ['x-sentry-auth', 'authorization']) {
    const header = req.headers[name];
    if (typeof header !== 'string') continue;
    const match = /^\s*sentry\s+(.*)$/i.exec(header);
    if (!match) continue;
    for (const field of match[1].split(',')) {
      const [key, ...value] = field.split('=');
      if (key.trim() === 'sentry_key' && value.length > 0)
        return value.join('=').trim();
    }
  }
  return undefined;
}
