/*
 * PostHog's query API: `POST /api/projects/:project_id/query/` with a `HogQLQuery`, authenticated
 * by a personal API key. PostHog throttles HogQL queries per key (120 an hour by default, more on
 * plans with API queries) and answers 429 with `Retry-After`; a query that ClickHouse cannot
 * finish is a 5xx. Both are retried here; anything else (a bad key, a query PostHog refuses) is
 * an error of the pull, which the host records on the scope without touching what is stored.
 */

/** A `HogQLQuery`: the query text with `{placeholders}` and the constants they stand for. */
export interface HogQLQuery {
  kind: 'HogQLQuery';
  query: string;
  /** Constant values that can be referenced with the {placeholder} syntax in the query. */
  values?: Record<string, unknown>;
}

/** The fields of PostHog's `HogQLQueryResponse` the pull reads. */
export interface HogQLQueryResponse {
  results: unknown[][];
  columns: string[];
  /** True when more rows matched than the query's `LIMIT` returned. */
  hasMore: boolean;
}

/** A refusal from PostHog (4xx other than 429, or retries used up), with PostHog's own reason. */
export class PostHogApiError extends Error {
  constructor(readonly status: number | undefined, message: string) {
    super(message);
    this.name = 'PostHogApiError';
  }
}

export interface PostHogQueryClientOptions {
  /** The app host, e.g. `https://us.posthog.com`. */
  host: string;
  personalApiKey: string;
  /** One attempt's deadline, ms. */
  requestTimeoutMs: number;
  /** Attempts per query, the first included. Default 5. */
  maxAttempts?: number;
  /**
   * The longest `Retry-After` waited for, seconds (default 60). PostHog's hourly budget can ask
   * for far longer; such a query fails now, and the scope is pulled again on a later run.
   */
  maxRetryAfterSeconds?: number;
  /** Waits between attempts; tests pass one that does not wait. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Backoff of attempts that got no `Retry-After`: 1 s, 2 s, 4 s, ... at most 30 s. */
const backoffMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt);

/** Runs HogQL queries against one PostHog host with one personal API key. */
export class PostHogQueryClient {
  private readonly maxAttempts: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: NonNullable<PostHogQueryClientOptions['sleep']>;
  /** Requests sent, retries included, for the logs and the benchmark. */
  requests = 0;

  constructor(private readonly options: PostHogQueryClientOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.maxRetryAfterMs = (options.maxRetryAfterSeconds ?? 60) * 1000;
    this.sleep = options.sleep ?? abortableSleep;
  }

  /** Runs `query` in the project; retries 429s, 5xx and timeouts, throws on anything else. */
  async query(
    projectId: string,
    query: HogQLQuery,
    signal: AbortSignal,
  ): Promise<HogQLQueryResponse> {
    const url = `${this.options.host}/api/projects/${encodeURIComponent(
      projectId,
    )}/query/`;
    const body = JSON.stringify({ query, name: 'product-os-pull' });
    let lastFailure = '';
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      signal.throwIfAborted();
      let waitMs = backoffMs(attempt);
      try {
        this.requests += 1;
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.options.personalApiKey}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body,
          signal: AbortSignal.any([
            signal,
            AbortSignal.timeout(this.options.requestTimeoutMs),
          ]),
        });
        if (response.ok) return parseResponse(await response.json());
        const reason = await reasonOf(response);
        if (response.status === 429) {
          const retryAfterMs = retryAfterMsOf(response);
          if (retryAfterMs !== undefined && retryAfterMs > this.maxRetryAfterMs)
            throw new PostHogApiError(
              429,
              `PostHog rate limit: ${reason} (retry after ${Math.ceil(
                retryAfterMs / 1000,
              )} s)`,
            );
          waitMs = retryAfterMs ?? waitMs;
        } else if (response.status < 500) {
          throw new PostHogApiError(
            response.status,
            `PostHog answered ${response.status}: ${reason}`,
          );
        }
        lastFailure = `${response.status}: ${reason}`;
      } catch (error) {
        if (error instanceof PostHogApiError || signal.aborted) throw error;
        // Timeouts, refused and reset connections, bodies that are not JSON: try again.
        lastFailure = error instanceof Error ? error.message : String(error);
      }
      if (attempt + 1 < this.maxAttempts) await this.sleep(waitMs, signal);
    }
    throw new PostHogApiError(
      undefined,
      `PostHog query failed after ${this.maxAttempts} attempts: ${lastFailure}`,
    );
  }
}

function parseResponse(body: unknown): HogQLQueryResponse {
  const value = body as Partial<HogQLQueryResponse> | null;
  if (!value || !Array.isArray(value.results) || !Array.isArray(value.columns))
    throw new Error('PostHog answered without results and columns');
  return {
    results: value.results,
    columns: value.columns,
    hasMore: value.hasMore === true,
  };
}

/** PostHog's errors are `{ type, code, detail, attr }`; the detail says what was wrong. */
async function reasonOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const detail = JSON.parse(text)?.detail;
    if (typeof detail === 'string') return detail;
  } catch {
    // Not JSON (a proxy's page): keep the start of it.
  }
  return text.slice(0, 200) || response.statusText;
}

function retryAfterMsOf(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener('abort', abort, { once: true });
  });
}
