/**
 * A vendor request that failed for good: an answer that is not retried (a 4xx other than 429),
 * or the last of its retries (429, 5xx, a network error or a timeout). The message names the
 * request and the answer, so it can be shown as the reason a sync failed.
 *
 * @public
 */
export class VendorApiError extends Error {
  override readonly name = 'VendorApiError';
  constructor(
    message: string,
    /** The HTTP status, when the vendor answered. */
    readonly status: number | undefined,
    /** The URL without its query, which may carry a key. */
    readonly url: string,
    /** What else is known: the start of the vendor's answer, attempts made, the wait it asked. */
    readonly details: {
      /** The first 300 characters of the answer's body (a vendor's own reason is often JSON). */
      body?: string;
      attempts?: number;
      /** The wait a 429 or 503 asked for that was longer than the client waits, ms. */
      waitMs?: number;
    } = {},
  ) {
    super(message);
  }
}
