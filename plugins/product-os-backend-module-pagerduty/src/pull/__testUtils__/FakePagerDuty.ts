import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import type { RestChangeEvent, RestIncident, RestLogEntry } from '../restTypes';
import {
  answerProblems,
  documentedQueryParameters,
} from './pagerDutyApiSchema';

/*
 * A local server that answers as PagerDuty's REST API v2 does for the calls the pull makes:
 * the paths, query parameters, field names and offset pagination of PagerDuty's published
 * description (every answer is checked against it, see `problems`), its `Token token=` and
 * versioned `Accept` headers, and its rate limit: a budget of requests per minute reported in
 * `ratelimit-limit` / `ratelimit-remaining` / `ratelimit-reset`, a 429 once it is spent.
 */

const ROUTES: { template: string; pattern: RegExp }[] = [
  { template: '/incidents', pattern: /^\/incidents$/ },
  { template: '/incidents/{id}', pattern: /^\/incidents\/([^/]+)$/ },
  {
    template: '/incidents/{id}/log_entries',
    pattern: /^\/incidents\/([^/]+)\/log_entries$/,
  },
  {
    template: '/services/{id}/change_events',
    pattern: /^\/services\/([^/]+)\/change_events$/,
  },
];

/** PagerDuty's REST API: 960 requests a minute per key. */
export const PAGERDUTY_BUDGET_PER_MINUTE = 960;

const UTC_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

export interface FakePagerDutyOptions {
  token: string;
  /** The server's clock, epoch ms (the budget's minute); tests move it. */
  now: () => number;
  budgetPerMinute?: number;
  /** Waits before each answer (for the benchmark; tests leave it out). */
  latency?: (ms: number) => Promise<void>;
  latencyMs?: number;
  /**
   * Checks every answer against PagerDuty's description (default true). The benchmark, which
   * answers the same shapes tens of thousands of times, turns it off.
   */
  checkAnswers?: boolean;
}

export class FakePagerDuty {
  incidents: RestIncident[] = [];
  logEntries = new Map<string, RestLogEntry[]>();
  changeEvents = new Map<string, RestChangeEvent[]>();
  /** Every request, as `GET <path>?<query>`. */
  requests: string[] = [];
  /** What did not match PagerDuty's description: answers or the pull's requests. */
  problems: string[] = [];
  private faults: { status: number | 'hang'; times: number }[] = [];
  private hanging: ServerResponse[] = [];
  private budget: { windowStart: number; used: number } = {
    windowStart: 0,
    used: 0,
  };
  private server?: Server;
  /** Called when a request is held without an answer (a timeout for the client). */
  onHang?: () => void;

  constructor(private readonly options: FakePagerDutyOptions) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(error => {
        this.problems.push(`server error: ${error}`);
        res.statusCode = 500;
        res.end();
      });
    });
    await new Promise<void>(r => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise(r => this.server?.close(r));
  }

  /** The next `times` requests are answered `status` (or held without answer). */
  fail(status: number | 'hang', times = 1) {
    this.faults.push({ status, times });
  }

  /** Spends the rest of the current minute's budget. */
  spendBudget() {
    this.rollBudget();
    this.budget.used =
      this.options.budgetPerMinute ?? PAGERDUTY_BUDGET_PER_MINUTE;
  }

  private rollBudget() {
    const now = this.options.now();
    if (now - this.budget.windowStart >= 60_000) {
      this.budget = { windowStart: now - (now % 60_000), used: 0 };
    }
  }

  /** Answers one request; the benchmark's vendor server calls it directly. */
  async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://pagerduty.test');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (this.options.latency && this.options.latencyMs)
      await this.options.latency(this.options.latencyMs);

    const route = ROUTES.find(r => r.pattern.test(url.pathname));
    if (req.method !== 'GET' || !route) {
      this.problems.push(
        `the pull asked ${req.method} ${url.pathname}, which it should not`,
      );
      return this.send(res, '/incidents', 404, errorBody('Not Found', 2100));
    }
    const id = decodeURIComponent(route.pattern.exec(url.pathname)?.[1] ?? '');

    this.rollBudget();
    const limit = this.options.budgetPerMinute ?? PAGERDUTY_BUDGET_PER_MINUTE;
    this.budget.used += 1;
    const remaining = Math.max(0, limit - this.budget.used);
    const resetSeconds = Math.ceil(
      (this.budget.windowStart + 60_000 - this.options.now()) / 1000,
    );
    res.setHeader('ratelimit-limit', String(limit));
    res.setHeader('ratelimit-remaining', String(remaining));
    res.setHeader('ratelimit-reset', String(resetSeconds));

    const fault = this.faults[0];
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.shift();
      if (fault.status === 'hang') {
        this.hanging.push(res);
        this.onHang?.();
        return undefined;
      }
      return this.send(
        res,
        route.template,
        fault.status,
        errorBody('Internal Server Error', 0),
      );
    }
    if (this.budget.used > limit) {
      return this.send(
        res,
        route.template,
        429,
        errorBody('Rate Limit Exceeded', 2020),
      );
    }

    if (req.headers.authorization !== `Token token=${this.options.token}`) {
      return this.send(
        res,
        route.template,
        401,
        errorBody('Unauthorized', 2006),
      );
    }
    if (req.headers.accept !== 'application/vnd.pagerduty+json;version=2') {
      this.problems.push(`Accept header was ${req.headers.accept}`);
    }
    const invalid = this.checkQuery(route.template, url.searchParams);
    if (invalid.length > 0) {
      this.problems.push(...invalid);
      return this.send(
        res,
        route.template,
        400,
        errorBody('Invalid Input Provided', 2001, invalid),
      );
    }

    const q = url.searchParams;
    switch (route.template) {
      case '/incidents':
        return this.send(
          res,
          route.template,
          200,
          this.page(q, 'incidents', this.listIncidents(q)),
        );
      case '/incidents/{id}': {
        const incident = this.incidents.find(i => i.id === id);
        return incident
          ? this.send(res, route.template, 200, { incident })
          : this.send(res, route.template, 404, errorBody('Not Found', 2100));
      }
      case '/incidents/{id}/log_entries': {
        if (!this.incidents.some(i => i.id === id))
          return this.send(
            res,
            route.template,
            404,
            errorBody('Not Found', 2100),
          );
        const entries = within(
          this.logEntries.get(id) ?? [],
          q,
          e => e.created_at,
        );
        return this.send(
          res,
          route.template,
          200,
          this.page(q, 'log_entries', entries),
        );
      }
      default: {
        const events = within(
          this.changeEvents.get(id) ?? [],
          q,
          e => e.timestamp ?? '',
        );
        return this.send(
          res,
          route.template,
          200,
          this.page(q, 'change_events', events),
        );
      }
    }
  }

  private listIncidents(q: URLSearchParams): RestIncident[] {
    const services = q.getAll('service_ids[]');
    const statuses = q.getAll('statuses[]');
    let list = this.incidents.filter(
      i =>
        (services.length === 0 || services.includes(i.service.id)) &&
        (statuses.length === 0 || statuses.includes(i.status)),
    );
    if (q.get('date_range') !== 'all') {
      // PagerDuty filters by creation time; without since/until, the last month.
      const until = q.get('until')
        ? Date.parse(q.get('until')!)
        : this.options.now();
      const since = q.get('since')
        ? Date.parse(q.get('since')!)
        : until - 30 * 86_400_000;
      list = list.filter(i => {
        const created = Date.parse(i.created_at);
        return created >= since && created < until;
      });
    }
    const [field, direction] = (q.get('sort_by') ?? 'created_at:asc').split(
      ':',
    );
    const sign = direction === 'desc' ? -1 : 1;
    return [...list].sort((a, b) =>
      field === 'created_at'
        ? sign * (Date.parse(a.created_at) - Date.parse(b.created_at))
        : 0,
    );
  }

  private page<T>(q: URLSearchParams, key: string, all: T[]) {
    const limit = Number(q.get('limit') ?? 25);
    const offset = Number(q.get('offset') ?? 0);
    return {
      [key]: all.slice(offset, offset + limit),
      limit,
      offset,
      more: offset + limit < all.length,
      total: q.get('total') === 'true' ? all.length : null,
    };
  }

  private checkQuery(template: string, q: URLSearchParams): string[] {
    const documented = documentedQueryParameters(template);
    const problems: string[] = [];
    for (const name of new Set(q.keys())) {
      if (!documented.has(name))
        problems.push(`${template} has no query parameter ${name}`);
    }
    const limit = q.get('limit');
    if (limit !== null && !(Number(limit) >= 1 && Number(limit) <= 100))
      problems.push(`${template}: limit must be 1 to 100, not ${limit}`);
    for (const name of ['since', 'until']) {
      const value = q.get(name);
      // The change events' since/until must be UTC with whole seconds (a 400 otherwise).
      if (
        value !== null &&
        template.includes('change_events') &&
        !UTC_SECONDS.test(value)
      )
        problems.push(
          `${template}: ${name} must be YYYY-MM-DDThh:mm:ssZ, not ${value}`,
        );
      if (value !== null && Number.isNaN(Date.parse(value)))
        problems.push(`${template}: ${name} is not a time: ${value}`);
    }
    const since = q.get('since');
    const until = q.get('until');
    if (template === '/incidents' && since && until) {
      if (Date.parse(until) - Date.parse(since) > 183 * 86_400_000)
        problems.push(
          '/incidents: since and until may be at most 6 months apart',
        );
    }
    return problems;
  }

  private send(
    res: ServerResponse,
    template: string,
    status: number,
    body: unknown,
  ) {
    // The description leaves out 5xx answers, and 429 on some operations PagerDuty limits anyway.
    const checked =
      this.options.checkAnswers !== false &&
      (status < 300 || (status < 500 && status !== 429));
    for (const problem of checked ? answerProblems(template, status, body) : [])
      this.problems.push(`answer of GET ${template} (${status}): ${problem}`);
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  }
}

function within<T>(
  items: T[],
  q: URLSearchParams,
  timeOf: (item: T) => string,
): T[] {
  const since = q.get('since') ? Date.parse(q.get('since')!) : -Infinity;
  const until = q.get('until') ? Date.parse(q.get('until')!) : Infinity;
  return items.filter(item => {
    const at = Date.parse(timeOf(item));
    return at >= since && at < until;
  });
}

function errorBody(message: string, code: number, errors?: string[]) {
  return { error: { message, code, ...(errors && { errors }) } };
}
