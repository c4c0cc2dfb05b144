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
  ) {
    super(message);
  }
}
