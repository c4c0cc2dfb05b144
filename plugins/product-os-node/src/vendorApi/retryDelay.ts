const RESET_HEADERS = [
  'x-sentry-rate-limit-reset',
  'x-ratelimit-reset',
  'ratelimit-reset',
];

const EPOCH_SECONDS_FLOOR = 1_000_000_000;

/**
 * How long a vendor asks to wait before the next request, from its answer's headers, in ms:
 * `Retry-After` (seconds or an HTTP date), else a rate-limit reset (`X-Sentry-Rate-Limit-Reset`,
 * `X-RateLimit-Reset`, `RateLimit-Reset`), which vendors give either as epoch seconds (Sentry,
 * GitHub) or as seconds from now (PagerDuty, the IETF draft). Undefined when none says.
 *
 * @public
 */
export function retryDelayMs(
  headers: Headers,
  now: number,
): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter.trim());
    if (retryAfter.trim() !== '' && Number.isFinite(seconds))
      return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  for (const name of RESET_HEADERS) {
    const value = headers.get(name);
    if (value === null) continue;
    const seconds = Number(value.trim());
    if (!Number.isFinite(seconds) || value.trim() === '') continue;
    // Epoch seconds are past 2001; a delta that large would be 31 years.
    return seconds > EPOCH_SECONDS_FLOOR
      ? Math.max(0, seconds * 1000 - now)
      : Math.max(0, seconds * 1000);
  }
  return undefined;
}
