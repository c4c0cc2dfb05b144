import { createVendorApi, VendorApi } from '@internal/plugin-product-os-node';

/** Query parameters; an array repeats its parameter (`project=1&project=2`). */
export type Query = Record<string, string | number | string[] | undefined>;

export interface SentryApiOptions {
  baseUrl: string;
  token: string;
  requestTimeoutMs: number;
  /** Aborts every request (the scheduler cancelled the run). */
  signal?: AbortSignal;
  /** Waits before a retry; tests pass one that records the delay and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** The wall clock, epoch ms, for `X-Sentry-Rate-Limit-Reset` (default `Date.now`). */
  now?: () => number;
  fetch?: typeof globalThis.fetch;
}

/**
 * Sentry's web API (`/api/0/...`) with an organization auth token, over the shared vendor client
 * of `product-os-node`: a deadline per attempt; a 429 retried after its `Retry-After` (or
 * `X-Sentry-Rate-Limit-Reset`), a 5xx or a timeout after a doubling backoff; lists paged by the
 * `Link` header while it says `results="true"`. Counts its requests, for the benchmark and logs.
 */
export class SentryApi {
  requests = 0;
  private readonly api: VendorApi;

  constructor(private readonly options: SentryApiOptions) {
    this.api = createVendorApi({
      baseUrl: `${options.baseUrl}/api/0`,
      headers: { authorization: `Bearer ${options.token}` },
      timeoutMs: options.requestTimeoutMs,
      sleep: options.sleep && (ms => options.sleep!(ms)),
      now: options.now,
      fetch: options.fetch,
      onRequest: () => {
        this.requests += 1;
      },
    });
  }

  async get<T>(path: string, query: Query = {}): Promise<T> {
    const answer = await this.api.request<T>(path, {
      query,
      signal: this.options.signal,
    });
    return answer.body;
  }

  /** Every page of a list, one at a time; the caller may stop early. */
  async *pages<T>(path: string, query: Query = {}): AsyncGenerator<T[]> {
    for await (const page of this.api.pages<T[]>(path, {
      query,
      signal: this.options.signal,
    }))
      yield page.body;
  }
}
