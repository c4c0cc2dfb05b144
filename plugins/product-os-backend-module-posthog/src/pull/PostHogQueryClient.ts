import {
  createVendorApi,
  VendorApi,
  VendorApiError,
} from '@internal/plugin-product-os-node';

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

/**
 * Runs HogQL queries against one PostHog host with one personal API key, through the shared
 * vendor client (deadlines, retries after `Retry-After` or a doubling backoff of 1 s to 30 s);
 * what PostHog refuses is reported with PostHog's own reason.
 */
export class PostHogQueryClient {
  private readonly api: VendorApi;
  private readonly maxAttempts: number;

  constructor(options: PostHogQueryClientOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.api = createVendorApi({
      baseUrl: options.host,
      headers: { authorization: `Bearer ${options.personalApiKey}` },
      retries: this.maxAttempts - 1,
      timeoutMs: options.requestTimeoutMs,
      maxBackoffMs: 30_000,
      maxWaitMs: (options.maxRetryAfterSeconds ?? 60) * 1000,
      sleep: options.sleep,
    });
  }

  /** Runs `query` in the project; retries 429s, 5xx and timeouts, throws on anything else. */
  async query(
    projectId: string,
    query: HogQLQuery,
    signal: AbortSignal,
  ): Promise<HogQLQueryResponse> {
    try {
      const { body } = await this.api.request<unknown>(
        `/api/projects/${encodeURIComponent(projectId)}/query/`,
        {
          method: 'POST',
          body: { query, name: 'product-os-pull' },
          signal,
        },
      );
      return parseResponse(body);
    } catch (error) {
      throw error instanceof VendorApiError ? refusal(error) : error;
    }
  }
}

/** The shared client's failure in PostHog's words. */
function refusal(error: VendorApiError): PostHogApiError {
  const { status, details } = error;
  const reason =
    status === undefined
      ? error.message
      : `${status}: ${reasonOf(details.body)}`;
  if (details.waitMs !== undefined)
    return new PostHogApiError(
      status,
      `PostHog rate limit: ${reasonOf(details.body)} (retry after ${Math.ceil(
        details.waitMs / 1000,
      )} s)`,
    );
  if (status !== undefined && status < 500 && status !== 429)
    return new PostHogApiError(status, `PostHog answered ${reason}`);
  return new PostHogApiError(
    undefined,
    `PostHog query failed after ${details.attempts} attempts: ${reason}`,
  );
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
function reasonOf(body = ''): string {
  try {
    const detail = JSON.parse(body)?.detail;
    if (typeof detail === 'string') return detail;
  } catch {
    // Not JSON (a proxy's page): keep the start of it.
  }
  return body.slice(0, 200);
}
