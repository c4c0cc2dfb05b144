/** What GitHub says of a budget in each response's `x-ratelimit-*` headers. */
interface ResourceBudget {
  limit: number;
  remaining: number;
  /** When the window resets, epoch ms. */
  resetAt: number;
}

interface ObservedResponse {
  status: number;
  headers: Record<string, string | number | undefined>;
}

/** Part of each hour's budget kept for everything else that uses the same credentials. */
const DEFAULT_RESERVE_FRACTION = 0.1;

/**
 * The budget of one set of credentials, as GitHub reports it (`x-ratelimit-limit`, `-remaining`,
 * `-reset`, `-resource`: REST `core` and `graphql` are budgets of their own). The pull asks it
 * before each step that may spend requests, and stops (to go on at its next run) while a reserve
 * is left, so the back-fill is paced to the hour's budget instead of exhausting it and leaving
 * the octokit plugins, and every other user of the token, waiting for the reset.
 */
export class RateBudget {
  private readonly resources = new Map<string, ResourceBudget>();
  /** Requests that counted against the budget (all but 304s), by resource. */
  readonly counted = new Map<string, number>();
  /** Conditional requests answered 304, which GitHub does not count. */
  notModified = 0;
  /**
   * Requests (REST) or points (GraphQL) that pulls in progress have said they are about to spend
   * and not spent yet, by resource: the budget's headers do not show them, so without them
   * several repositories pulled at once would each see the same `remaining` and together spend
   * into the reserve.
   */
  private readonly claimed = new Map<string, number>();
  /** GraphQL points spent (each query's `rateLimit { cost }`). */
  points = 0;

  constructor(private readonly reserveFraction = DEFAULT_RESERVE_FRACTION) {}

  observe(response: ObservedResponse): void {
    const header = (name: string) => {
      const value = response.headers[name];
      return value === undefined ? undefined : Number(value);
    };
    const resource = String(response.headers['x-ratelimit-resource'] ?? 'core');
    if (response.status === 304) this.notModified += 1;
    else this.counted.set(resource, (this.counted.get(resource) ?? 0) + 1);
    const limit = header('x-ratelimit-limit');
    const remaining = header('x-ratelimit-remaining');
    const reset = header('x-ratelimit-reset');
    if (limit === undefined || remaining === undefined || reset === undefined)
      return;
    if ([limit, remaining, reset].some(Number.isNaN)) return;
    this.resources.set(resource, { limit, remaining, resetAt: reset * 1000 });
  }

  /**
   * Whether `requests` more counted requests (or GraphQL points, for `graphql`) leave the
   * reserve untouched. Unknown until GitHub
   * has answered once; a window whose reset has passed is full again.
   */
  canSpend(requests: number, now: number, resource = 'core'): boolean {
    const budget = this.resources.get(resource);
    if (!budget || budget.resetAt <= now) return true;
    const reserve = Math.ceil(budget.limit * this.reserveFraction);
    return (
      budget.remaining - (this.claimed.get(resource) ?? 0) - requests >= reserve
    );
  }

  /** Counts `requests` as about to be made (after `canSpend` said yes). */
  claim(requests: number, resource = 'core'): void {
    this.claimed.set(resource, (this.claimed.get(resource) ?? 0) + requests);
  }

  /** Requests claimed that were made, or will not be. */
  release(requests: number, resource = 'core'): void {
    this.claimed.set(
      resource,
      Math.max(0, (this.claimed.get(resource) ?? 0) - requests),
    );
  }

  /** Where the budget stands, for progress logs. */
  status(resource = 'core'): ResourceBudget | undefined {
    return this.resources.get(resource);
  }

  /** Requests an hour the pull may spend (the limit less the reserve). */
  usablePerHour(resource = 'core'): number | undefined {
    const budget = this.resources.get(resource);
    return budget
      ? budget.limit - Math.ceil(budget.limit * this.reserveFraction)
      : undefined;
  }
}
