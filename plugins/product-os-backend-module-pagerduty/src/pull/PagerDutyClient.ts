import {
  createVendorApi,
  VendorApi,
  VendorApiError,
  VendorApiOptions,
} from '@internal/plugin-product-os-node';
import type { OffsetPage } from './restTypes';

type Query = Record<string, string | string[]>;

export interface PagerDutyClientOptions
  extends Pick<VendorApiOptions, 'sleep' | 'now' | 'fetch' | 'onRequest'> {
  /** `https://api.pagerduty.com`, `https://api.eu.pagerduty.com`, or a proxy in front of them. */
  baseUrl: string;
  token: string;
  requestTimeoutMs: number;
}

/**
 * PagerDuty documents 100 as the largest page, and offset pagination stops at 10,000 records
 * (`offset + limit`); a longer list has to be narrowed (by time, for incidents).
 */
export const PAGE_LIMIT = 100;
export const MAX_OFFSET = 10_000;

/**
 * PagerDuty's REST API v2 for one token, over the shared vendor client of `product-os-node`:
 * a deadline per attempt; a 429 retried after the `ratelimit-reset` PagerDuty sends with every
 * answer (or `Retry-After`), a 5xx, a timeout or a lost connection after a doubling backoff.
 *
 * Not `@pagerduty/pdjs`: its `api()` sends every 429 again three times on a fixed timer before
 * the caller sees it, whatever PagerDuty asks to wait, and cannot be told not to, so it could not
 * follow the one retry rule every pull shares. The requests are the ones pdjs builds (its
 * `Token token=` authorization and versioned `Accept`).
 */
export class PagerDutyClient {
  private readonly api: VendorApi;

  constructor(options: PagerDutyClientOptions) {
    this.api = createVendorApi({
      baseUrl: options.baseUrl,
      headers: {
        authorization: `Token token=${options.token}`,
        accept: 'application/vnd.pagerduty+json;version=2',
      },
      timeoutMs: options.requestTimeoutMs,
      maxBackoffMs: 30_000,
      sleep: options.sleep,
      now: options.now,
      fetch: options.fetch,
      onRequest: options.onRequest,
    });
  }

  /** One `GET`, its JSON body once PagerDuty answers 2xx. */
  async get<T>(path: string, query: Query, signal: AbortSignal): Promise<T> {
    try {
      const { body } = await this.api.request<T>(path, { query, signal });
      if (body === undefined)
        throw new VendorApiError(
          `PagerDuty GET ${path} answered without a body`,
          undefined,
          path,
        );
      return body;
    } catch (error) {
      throw error instanceof VendorApiError
        ? inPagerDutysWords(path, error)
        : error;
    }
  }

  /**
   * The pages of a list (`limit`/`offset`/`more`), each the array under `key`. Stops at
   * PagerDuty's offset limit: the caller narrows the query when `offsetLimitReached`.
   */
  async *pages<T>(
    path: string,
    query: Query,
    key: string,
    signal: AbortSignal,
  ): AsyncGenerator<{ items: T[]; offsetLimitReached: boolean }> {
    for (let offset = 0; ; ) {
      const page = await this.get<OffsetPage & Record<string, unknown>>(
        path,
        { ...query, limit: String(PAGE_LIMIT), offset: String(offset) },
        signal,
      );
      const items = page[key];
      if (!Array.isArray(items)) {
        throw new VendorApiError(
          `PagerDuty GET ${path} answered without "${key}"`,
          200,
          path,
        );
      }
      offset += items.length;
      const more = page.more === true && items.length > 0;
      const offsetLimitReached = more && offset + PAGE_LIMIT > MAX_OFFSET;
      yield { items: items as T[], offsetLimitReached };
      if (!more || offsetLimitReached) return;
    }
  }
}

/**
 * The shared client's failure with PagerDuty's own reason (`{ "error": { "message", "errors" } }`)
 * and the path without the host, as the sync state shows it.
 */
function inPagerDutysWords(
  path: string,
  error: VendorApiError,
): VendorApiError {
  const { status, details } = error;
  const attempts =
    details.attempts && details.attempts > 1
      ? ` after ${details.attempts} attempts`
      : '';
  let reason: string;
  if (status === undefined) {
    // "did not answer within 30000 ms", "failed: fetch failed"
    reason = error.message
      .replace(/^GET \S+ /, '')
      .replace(/ \(after \d+ attempts\)$/, '');
  } else {
    reason = `${status} ${errorMessageOf(details.body)}`.trim();
  }
  const wait =
    details.waitMs === undefined
      ? ''
      : ` (PagerDuty asks to wait ${Math.ceil(details.waitMs / 1000)} s)`;
  return new VendorApiError(
    `PagerDuty GET ${path} failed${attempts}: ${reason}${wait}`,
    status,
    error.url,
    details,
  );
}

function errorMessageOf(body = ''): string {
  try {
    const parsed = JSON.parse(body)?.error;
    if (parsed && typeof parsed === 'object') {
      const details = Array.isArray(parsed.errors)
        ? ` (${parsed.errors.join('; ')})`
        : '';
      return `${String(parsed.message ?? '')}${details}`;
    }
  } catch {
    // Not JSON (a proxy's page): keep the start of it.
  }
  return body.slice(0, 200);
}
