import { nextCursor } from './linkHeader';

/** Query parameters; an array repeats its parameter (`project=1&project=2`). */
export type Query = Record<string, string | number | string[] | undefined>;

/** A page of a list endpoint and the cursor of the next, if it has results. */
export interface Page<T> {
  items: T[];
  next?: string;
}

export interface SentryApiOptions {
  baseUrl: string;
  token: string;
  requestTimeoutMs: number;
  /** Aborts every request (the scheduler cancelled the run). */
  signal?: AbortSignal;
  /** Waits before a retry; tests pass one that records the delay and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** The clock, epoch ms, for `X-Sentry-Rate-Limit-Reset`. */
  now?: () => number;
  fetch?: typeof globalThis.fetch;
}

/** Attempts per request: 429s, 5xx answers and timeouts are retried, others are not. */
const MAX_ATTEMPTS = 5;
const MAX_WAIT_MS = 120_000;

/** A Sentry API answer that is not a success, after retries. */
export class SentryApiError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'SentryApiError';
  }
}

/**
 * Sentry's web API (`/api/0/...`) with an organization auth token. Retries what Sentry asks to
 * be retried: a 429 after its `Retry-After` (or `X-Sentry-Rate-Limit-Reset`), a 5xx or a timeout
 * after a growing backoff. Counts its requests, for the benchmark and the logs.
 */
export class SentryApi {
  requests = 0;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly fetch: typeof globalThis.fetch;

  constructor(private readonly options: SentryApiOptions) {
    this.sleep =
      options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.fetch = options.fetch ?? fetch;
  }

  async get<T>(path: string, query: Query = {}): Promise<T> {
    return (await this.request<T>(path, query)).body;
  }

  async page<T>(path: string, query: Query = {}): Promise<Page<T>> {
    const { body, link } = await this.request<T[]>(path, query);
    return { items: body, next: nextCursor(link) };
  }

  /** Every page of a list, one at a time; the caller may stop early. */
  async *pages<T>(path: string, query: Query = {}): AsyncGenerator<T[]> {
    let cursor: string | undefined;
    do {
      const page = await this.page<T>(path, { ...query, cursor });
      yield page.items;
      cursor = page.next;
    } while (cursor);
  }

  private async request<T>(
    path: string,
    query: Query,
  ): Promise<{ body: T; link: string | null }> {
    const url = this.url(path, query);
    for (let attempt = 1; ; attempt++) {
      this.options.signal?.throwIfAborted();
      this.requests += 1;
      let response: Response;
      try {
        response = await this.fetch(url, {
          headers: {
            authorization: `Bearer ${this.options.token}`,
            accept: 'application/json',
          },
          signal: this.requestSignal(),
        });
      } catch (error) {
        if (this.options.signal?.aborted) throw error;
        if (attempt >= MAX_ATTEMPTS)
          throw new SentryApiError(`Sentry ${path}: ${String(error)}`);
        await this.sleep(backoff(attempt));
        continue;
      }
      if (response.ok) {
        return {
          body: (await response.json()) as T,
          link: response.headers.get('link'),
        };
      }
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= MAX_ATTEMPTS) {
        const detail = (await response.text().catch(() => '')).slice(0, 200);
        throw new SentryApiError(
          `Sentry ${path} answered ${response.status}${
            detail ? `: ${detail}` : ''
          }`,
          response.status,
        );
      }
      await response.body?.cancel();
      await this.sleep(this.retryDelay(response, attempt));
    }
  }

  private requestSignal(): AbortSignal {
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs);
    return this.options.signal
      ? AbortSignal.any([this.options.signal, timeout])
      : timeout;
  }

  /** Sentry's `Retry-After` (seconds), else its reset time (epoch seconds), else a backoff. */
  private retryDelay(response: Response, attempt: number): number {
    const retryAfter = Number(response.headers.get('retry-after'));
    if (response.headers.has('retry-after') && Number.isFinite(retryAfter))
      return Math.min(Math.max(0, retryAfter * 1000), MAX_WAIT_MS);
    const reset = Number(response.headers.get('x-sentry-rate-limit-reset'));
    if (response.status === 429 && reset > 0)
      return Math.min(Math.max(0, reset * 1000 - this.now()), MAX_WAIT_MS);
    return backoff(attempt);
  }

  private url(path: string, query: Query): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value])
        params.append(name, String(item));
    }
    const search = params.toString();
    return `${this.options.baseUrl}/api/0${path}${search ? `?${search}` : ''}`;
  }
}

function backoff(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), MAX_WAIT_MS);
}
