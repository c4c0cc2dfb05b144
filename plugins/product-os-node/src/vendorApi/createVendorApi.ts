import { nextPageUrl } from './linkPagination';
import { retryDelayMs } from './retryDelay';
import { VendorApiError } from './VendorApiError';

/** How a pull talks to one vendor's REST API; see {@link createVendorApi}. @public */
export interface VendorApiOptions {
  /** e.g. `https://sentry.io/api/0`; relative paths are appended to it. */
  baseUrl: string;
  /** Sent with every request (authorization, accept). */
  headers?: Record<string, string>;
  /** Retries after the first attempt for 429, 5xx, network errors and timeouts (default 4). */
  retries?: number;
  /** Each attempt's deadline, ms (default 30 s). */
  timeoutMs?: number;
  /** The first backoff when the vendor names no delay, doubled per retry (default 1 s). */
  backoffMs?: number;
  /** The longest backoff without a named delay (default 60 s). */
  maxBackoffMs?: number;
  /**
   * The longest wait a vendor's `Retry-After` or reset header is honoured for (default 5 min);
   * asked for more, the request fails now, so a sync run does not sleep past its schedule.
   */
  maxWaitMs?: number;
  /** Waits between attempts; tests pass one that records and returns at once. */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  /** The clock for HTTP-date and epoch reset headers (default `Date.now`). */
  now?(): number;
  fetch?: typeof globalThis.fetch;
  /** Called for every attempt sent (benchmarks count requests with it). */
  onRequest?(request: { method: string; url: string }): void;
}

/** One request. @public */
export interface VendorRequest {
  method?: 'GET' | 'POST';
  /** Appended to the URL; undefined values are left out, arrays repeat the key. */
  query?: Record<string, string | number | boolean | string[] | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The pull's signal: aborting it stops waiting and fails the request at once. */
  signal?: AbortSignal;
}

/** A vendor's answer: its parsed JSON (undefined for 204 and 304), headers and next page. @public */
export interface VendorResponse<T> {
  status: number;
  headers: Headers;
  body: T;
  /** The `Link` header's next page, when there is one with results. */
  nextUrl?: string;
}

/** JSON over HTTP with the retries, deadlines and pagination a pull needs. @public */
export interface VendorApi {
  request<T>(
    pathOrUrl: string,
    request?: VendorRequest,
  ): Promise<VendorResponse<T>>;
  /** Every page of a `Link`-paginated list, one answer at a time (never all held at once). */
  pages<T>(
    pathOrUrl: string,
    request?: VendorRequest,
  ): AsyncGenerator<VendorResponse<T>>;
}

/** Waits `ms`, or rejects as soon as `signal` aborts. @public */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const RETRIED_STATUSES = (status: number) => status === 429 || status >= 500;

/**
 * A small JSON client for the vendors without a usable SDK of their own here (Sentry, PostHog,
 * PagerDuty's REST API): every attempt has a deadline; 429, 5xx, network errors and timeouts are
 * retried with exponential backoff, or after the delay the vendor names (`Retry-After`; a 429's
 * rate-limit reset headers); other
 * answers of 400 and above fail with a {@link VendorApiError} naming the status; `pages` follows
 * `Link: <…>; rel="next"` (Sentry's `results="true"`).
 *
 * @public
 */
export function createVendorApi(options: VendorApiOptions): VendorApi {
  const retries = options.retries ?? 4;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const backoffMs = options.backoffMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const maxWaitMs = options.maxWaitMs ?? 5 * 60_000;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? globalThis.fetch;
  const base = options.baseUrl.replace(/\/+$/, '');

  function urlOf(pathOrUrl: string, query: VendorRequest['query']): URL {
    const url = new URL(
      /^https?:\/\//.test(pathOrUrl)
        ? pathOrUrl
        : `${base}/${pathOrUrl.replace(/^\/+/, '')}`,
    );
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value])
        url.searchParams.append(key, String(v));
    }
    return url;
  }

  async function request<T>(
    pathOrUrl: string,
    req: VendorRequest = {},
  ): Promise<VendorResponse<T>> {
    const url = urlOf(pathOrUrl, req.query);
    const method = req.method ?? 'GET';
    const shown = `${method} ${url.origin}${url.pathname}`;
    const signal = req.signal ?? new AbortController().signal;
    for (let attempt = 0; ; attempt++) {
      signal.throwIfAborted();
      const deadline = AbortSignal.any([
        signal,
        AbortSignal.timeout(timeoutMs),
      ]);
      let failure: string;
      let wait: number | undefined;
      let status: number | undefined;
      let body: string | undefined;
      try {
        options.onRequest?.({ method, url: url.toString() });
        const res = await doFetch(url, {
          method,
          signal: deadline,
          headers: {
            accept: 'application/json',
            ...(req.body !== undefined && {
              'content-type': 'application/json',
            }),
            ...options.headers,
            ...req.headers,
          },
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
        });
        status = res.status;
        if (res.status < 400) {
          const text =
            res.status === 204 || res.status === 304 ? '' : await res.text();
          return {
            status: res.status,
            headers: res.headers,
            body: (text === '' ? undefined : JSON.parse(text)) as T,
            nextUrl: nextPageUrl(res.headers.get('link')),
          };
        }
        body = (await res.text().catch(() => '')).slice(0, 300);
        failure = `${shown} answered ${res.status} ${res.statusText}${
          body ? `: ${body}` : ''
        }`;
        if (!RETRIED_STATUSES(res.status))
          throw new VendorApiError(failure, res.status, shown, {
            body,
            attempts: attempt + 1,
          });
        // Vendors send their rate-limit reset with every answer (PagerDuty, Sentry): it names a
        // wait only when the budget is what failed (a 429). A 5xx waits only for a Retry-After.
        wait =
          res.status === 429 || res.headers.has('retry-after')
            ? retryDelayMs(res.headers, now())
            : undefined;
      } catch (error) {
        if (error instanceof VendorApiError) throw error;
        if (signal.aborted) throw signal.reason;
        if (error instanceof SyntaxError)
          throw new VendorApiError(
            `${shown} answered with invalid JSON`,
            status,
            shown,
          );
        failure = deadline.aborted
          ? `${shown} did not answer within ${timeoutMs} ms`
          : `${shown} failed: ${(error as Error).message}`;
      }
      if (attempt >= retries)
        throw new VendorApiError(
          `${failure} (after ${attempt + 1} attempts)`,
          status,
          shown,
          { body, attempts: attempt + 1 },
        );
      if (wait !== undefined && wait > maxWaitMs)
        throw new VendorApiError(
          `${failure}; the vendor asks to wait ${Math.ceil(
            wait / 1000,
          )} s, longer than ${Math.ceil(maxWaitMs / 1000)} s`,
          status,
          shown,
          { body, attempts: attempt + 1, waitMs: wait },
        );
      await sleep(
        wait ?? Math.min(maxBackoffMs, backoffMs * 2 ** attempt),
        signal,
      );
    }
  }

  async function* pages<T>(
    pathOrUrl: string,
    req: VendorRequest = {},
  ): AsyncGenerator<VendorResponse<T>> {
    let page = await request<T>(pathOrUrl, req);
    yield page;
    while (page.nextUrl) {
      // The next link carries the whole query already.
      page = await request<T>(page.nextUrl, { ...req, query: undefined });
      yield page;
    }
  }

  return { request, pages };
}
