import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { execute } from 'graphql';
import type { FakeRepository } from './FakeRepository';
import { fakeGraphqlRoot } from './fakeGraphqlRoot';
import { GitHubSchema } from './githubSchema';
import {
  checkQuery,
  githubGraphqlSchema,
  queryCost,
} from './githubGraphqlSchema';

type Json = Record<string, any>;

/** An answer the fake gives instead of the real one, for rate limits and outages. */
export interface InjectedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: Json;
}

const ROUTES: [RegExp, string][] = [
  [/^\/repos\/[^/]+\/[^/]+$/, '/repos/{owner}/{repo}'],
  [/^\/repos\/[^/]+\/[^/]+\/releases$/, '/repos/{owner}/{repo}/releases'],
  [/^\/repos\/[^/]+\/[^/]+\/deployments$/, '/repos/{owner}/{repo}/deployments'],
  [
    /^\/repos\/[^/]+\/[^/]+\/deployments\/\d+$/,
    '/repos/{owner}/{repo}/deployments/{deployment_id}',
  ],
  [
    /^\/repos\/[^/]+\/[^/]+\/deployments\/\d+\/statuses$/,
    '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
  ],
  [/^\/repos\/[^/]+\/[^/]+\/pulls$/, '/repos/{owner}/{repo}/pulls'],
  [
    /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/files$/,
    '/repos/{owner}/{repo}/pulls/{pull_number}/files',
  ],
  [/^\/repos\/[^/]+\/[^/]+\/commits$/, '/repos/{owner}/{repo}/commits'],
  [
    /^\/repos\/[^/]+\/[^/]+\/commits\/[^/]+$/,
    '/repos/{owner}/{repo}/commits/{ref}',
  ],
];

/**
 * A local server that answers the REST routes the GitHub pull uses as GitHub's API does: the
 * paths, `per_page`/`page` pagination with `Link` headers, `since`/`until` on commits, ETags and
 * 304s for `If-None-Match` (which, as on GitHub, do not count against the budget), and the
 * `x-ratelimit-*` headers of a budget of `limit` requests an hour. Every 200 body is checked
 * against GitHub's OpenAPI description; `invalid` lists what did not match.
 */
export class FakeGitHub {
  readonly repositories: Map<string, FakeRepository>;
  /** Requests that counted against the budget, and conditional ones answered 304. */
  counted = 0;
  notModified = 0;
  /** Counted requests by route (`/repos/{owner}/{repo}/pulls`, …), to show where they go. */
  readonly countedByRoute = new Map<string, number>();
  readonly requests: string[] = [];
  readonly invalid: string[] = [];
  limit = 5000;
  remaining = 5000;
  /** Epoch seconds of the budget's reset; the caller moves it with its clock. */
  resetAt = Math.floor(Date.now() / 1000) + 3600;
  /** Delay before each answer, ms (the bench's network). */
  latencyMs = 0;
  private readonly injected: {
    match: (path: string) => boolean;
    answer: InjectedAnswer;
  }[] = [];
  /** Requests refused because the budget was spent (403 with `x-ratelimit-remaining: 0`). */
  refused = 0;
  /**
   * GraphQL's budget, of points (a query's cost by GitHub's rule, see `queryCost`), apart from
   * REST's: the queries answered, the points they cost, the fewest points left in any window,
   * and the queries refused past it. Every query is validated against GitHub's schema.
   */
  readonly graphql = {
    limit: 5000,
    remaining: 5000,
    resetAt: Math.floor(Date.now() / 1000) + 3600,
    queries: 0,
    points: 0,
    lowestRemaining: Infinity,
    refused: 0,
    /** With a clock: when each query was answered (epoch ms) and its cost. */
    spent: [] as [number, number][],
  };
  /** The fewest requests left in any window, to show that a client never spent the budget. */
  lowestRemaining = Infinity;
  private server?: http.Server;
  private readonly validate: boolean;
  private readonly recordRequests: boolean;
  private readonly clock?: () => number;

  /**
   * `clock` (epoch ms): the budget is GitHub's, an hour's window that starts again at its
   * reset, and a request past it is refused with a 403 as GitHub refuses it. Without one the
   * test moves `resetAt` itself and the budget is only reported. `recordRequests: false` keeps
   * `requests` empty (the benchmark's millions); `repositories` may be a map that makes them on
   * demand.
   */
  constructor(
    options: {
      validate?: boolean;
      recordRequests?: boolean;
      clock?: () => number;
      repositories?: Map<string, FakeRepository>;
    } = {},
  ) {
    this.repositories = options.repositories ?? new Map();
    this.validate = options.validate ?? true;
    this.recordRequests = options.recordRequests ?? true;
    this.clock = options.clock;
  }

  get baseUrl(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const answer = () => this.handle(req, res);
      if (this.latencyMs > 0) setTimeout(answer, this.latencyMs);
      else answer();
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
  }

  async stop(): Promise<void> {
    const closed = new Promise(resolve => this.server?.close(resolve));
    // Clients keep connections alive; the server would wait for them.
    this.server?.closeAllConnections();
    await closed;
  }

  /** Forgets every repository, answer and count, for the next test. */
  reset(now: number): void {
    this.repositories.clear();
    this.injected.length = 0;
    this.counted = 0;
    this.countedByRoute.clear();
    this.notModified = 0;
    this.refused = 0;
    this.lowestRemaining = Infinity;
    this.limit = 5000;
    this.remaining = 5000;
    this.resetAt = Math.floor(now / 1000) + 3600;
    Object.assign(this.graphql, {
      limit: 5000,
      remaining: 5000,
      resetAt: this.resetAt,
      queries: 0,
      points: 0,
      lowestRemaining: Infinity,
      refused: 0,
      spent: [],
    });
    this.invalid.length = 0;
    this.requests.length = 0;
  }

  repository(fullName: string): FakeRepository {
    const key = fullName.toLowerCase();
    let repo = this.repositories.get(key);
    if (!repo) {
      repo = {
        repository: {},
        commits: [],
        pulls: [],
        pullFiles: new Map(),
        deployments: [],
        statuses: new Map(),
        releases: [],
      };
      this.repositories.set(key, repo);
    }
    return repo;
  }

  /** The next `times` requests whose path matches get `answer` instead. */
  inject(
    times: number,
    answer: InjectedAnswer,
    match: (path: string) => boolean = () => true,
  ) {
    for (let i = 0; i < times; i++) this.injected.push({ match, answer });
  }

  /**
   * Answers one request (the benchmark calls it from a server of its own, which has read the
   * body already). REST is served under `/` (github.com's API) and `/api/v3/` (an Enterprise
   * host's), GraphQL at `POST /graphql` and `POST /api/graphql`.
   */
  handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body?: string,
  ): void {
    const fail = (error: unknown) => {
      // A fault of the fake is the test's failure, not a request that never ends.
      this.invalid.push(`${req.url}: ${error}`);
      res.writeHead(500).end();
    };
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method === 'POST' && /^(\/api)?\/graphql$/.test(path)) {
      const answer = (text: string) => {
        try {
          this.answerGraphql(req, res, text);
        } catch (error) {
          fail(error);
        }
      };
      if (body !== undefined) answer(body);
      else {
        let text = '';
        req.on('data', chunk => (text += chunk));
        req.on('end', () => answer(text));
      }
      return;
    }
    try {
      this.answer(req, res);
    } catch (error) {
      fail(error);
    }
  }

  /** A GraphQL query: validated against GitHub's schema, charged, and run on the fake's data. */
  private answerGraphql(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: string,
  ) {
    if (this.recordRequests) this.requests.push(`POST ${req.url}`);
    const budget = this.graphql;
    const send = (status: number, answer: Json) => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': String(budget.limit),
        'x-ratelimit-remaining': String(budget.remaining),
        'x-ratelimit-reset': String(budget.resetAt),
        'x-ratelimit-used': String(budget.limit - budget.remaining),
        'x-ratelimit-resource': 'graphql',
      });
      res.end(JSON.stringify(answer));
    };
    if (this.clock) {
      const nowSeconds = Math.floor(this.clock() / 1000);
      if (nowSeconds >= budget.resetAt) {
        budget.remaining = budget.limit;
        budget.resetAt = nowSeconds + 3600;
      }
    }
    const { query, variables = {} } = JSON.parse(body) as {
      query: string;
      variables?: Json;
    };
    const { document, problems } = checkQuery(query);
    if (!document || problems.length) {
      this.invalid.push(...problems.map(problem => `graphql: ${problem}`));
      send(200, { errors: problems.map(message => ({ message })) });
      return;
    }
    const cost = queryCost(document, variables);
    if (budget.remaining < cost) {
      // GitHub's answer to a query past the budget.
      budget.refused += 1;
      send(200, {
        errors: [
          {
            type: 'RATE_LIMITED',
            message: 'API rate limit exceeded for user ID 1.',
          },
        ],
      });
      return;
    }
    budget.queries += 1;
    budget.points += cost;
    budget.remaining -= cost;
    budget.lowestRemaining = Math.min(budget.lowestRemaining, budget.remaining);
    if (this.clock) budget.spent.push([this.clock(), cost]);
    const result = execute({
      schema: githubGraphqlSchema(),
      document,
      variableValues: variables,
      rootValue: fakeGraphqlRoot(this.repositories, () => ({
        cost,
        limit: budget.limit,
        remaining: budget.remaining,
        used: budget.limit - budget.remaining,
        nodeCount: 0,
        resetAt: new Date(budget.resetAt * 1000).toISOString(),
      })),
    }) as { data?: Json; errors?: readonly { message: string }[] };
    // Errors of the fake's own making (a non-null field it left empty) fail the test; GitHub's
    // NOT_FOUND for a pull request or node that is not there is an answer.
    for (const error of result.errors ?? []) {
      if (!/^Could not resolve to/.test(error.message))
        this.invalid.push(`graphql answer: ${error.message}`);
    }
    send(200, {
      data: result.data ?? null,
      ...(result.errors?.length
        ? {
            errors: result.errors.map(error => ({
              type: 'NOT_FOUND',
              message: error.message,
              path: (error as { path?: unknown }).path,
            })),
          }
        : {}),
    });
  }

  /**
   * With a clock: starts the next window once the reset has passed, and says whether this one is
   * spent (GitHub then refuses every request, conditional ones too, until the reset).
   */
  private spent(): boolean {
    if (!this.clock) return false;
    const nowSeconds = Math.floor(this.clock() / 1000);
    if (nowSeconds >= this.resetAt) {
      this.remaining = this.limit;
      this.resetAt = nowSeconds + 3600;
    }
    if (this.remaining > 0) return false;
    this.refused += 1;
    return true;
  }

  /** One request that counts against the budget (every answer but a 304). */
  private spend(route = 'other'): void {
    this.countedByRoute.set(route, (this.countedByRoute.get(route) ?? 0) + 1);
    this.counted += 1;
    this.remaining = Math.max(0, this.remaining - 1);
    this.lowestRemaining = Math.min(this.lowestRemaining, this.remaining);
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse) {
    // Links point back at the host asked, as GitHub's do.
    const asked = new URL(req.url ?? '/', `http://${req.headers.host}`);
    // An Enterprise host's REST API is under /api/v3.
    const url = new URL(asked);
    url.pathname = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    if (this.recordRequests)
      this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (this.spent()) {
      res.writeHead(403, {
        'content-type': 'application/json; charset=utf-8',
        ...this.rateHeaders(),
      });
      res.end(
        JSON.stringify({
          message: 'API rate limit exceeded for user ID 1.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        }),
      );
      return;
    }
    const injected = this.injected.findIndex(({ match }) =>
      match(url.pathname),
    );
    if (injected >= 0) {
      const [{ answer }] = this.injected.splice(injected, 1);
      this.spend();
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        ...this.rateHeaders(),
        ...answer.headers,
      });
      res.end(JSON.stringify(answer.body ?? { message: 'Injected' }));
      return;
    }
    const route = ROUTES.find(([pattern]) => pattern.test(url.pathname))?.[1];
    const found = route ? this.find(route, url) : undefined;
    if (!route || found === undefined) {
      this.spend();
      res.writeHead(404, {
        'content-type': 'application/json',
        ...this.rateHeaders(),
      });
      res.end(
        JSON.stringify({
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
        }),
      );
      return;
    }
    const { body } = found;
    const link = found.link
      ?.split(url.origin + url.pathname)
      .join(asked.origin + asked.pathname);
    const text = JSON.stringify(body);
    const etag = `W/"${createHash('sha256')
      .update(text)
      .digest('hex')
      .slice(0, 40)}"`;
    if (req.headers['if-none-match'] === etag) {
      this.notModified += 1;
      res.writeHead(304, { etag, ...this.rateHeaders() });
      res.end();
      return;
    }
    if (this.validate)
      this.invalid.push(...GitHubSchema.get().problems(route, body));
    this.spend(route);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      etag,
      ...(link ? { link } : {}),
      ...this.rateHeaders(),
    });
    res.end(text);
  }

  private rateHeaders(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(this.remaining),
      'x-ratelimit-reset': String(this.resetAt),
      'x-ratelimit-used': String(this.limit - this.remaining),
      'x-ratelimit-resource': 'core',
    };
  }

  private find(
    route: string,
    url: URL,
  ): { body: unknown; link?: string } | undefined {
    const parts = url.pathname.split('/');
    const repo = this.repositories.get(`${parts[2]}/${parts[3]}`.toLowerCase());
    if (!repo) return undefined;
    const id = Number(parts[5]);
    switch (route) {
      case '/repos/{owner}/{repo}':
        return { body: repo.repository };
      case '/repos/{owner}/{repo}/releases':
        return this.page(url, repo.releases);
      case '/repos/{owner}/{repo}/deployments':
        return this.page(url, repo.deployments);
      case '/repos/{owner}/{repo}/deployments/{deployment_id}': {
        const deployment = repo.deployments.find(d => d.id === id);
        return deployment ? { body: deployment } : undefined;
      }
      case '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses':
        return repo.deployments.some(d => d.id === id)
          ? this.page(url, repo.statuses.get(id) ?? [])
          : undefined;
      case '/repos/{owner}/{repo}/pulls': {
        const state = url.searchParams.get('state') ?? 'open';
        const pulls = repo.pulls
          .filter(pr => state === 'all' || pr.state === state)
          .sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at));
        return this.page(url, pulls);
      }
      case '/repos/{owner}/{repo}/pulls/{pull_number}/files': {
        const files = repo.pullFiles.get(id);
        return files ? this.page(url, files) : undefined;
      }
      case '/repos/{owner}/{repo}/commits': {
        const since = url.searchParams.get('since');
        const until = url.searchParams.get('until');
        const listed = repo.commits
          .filter(commit => {
            const time = Date.parse(commit.commit.committer.date);
            return (
              (!since || time >= Date.parse(since)) &&
              (!until || time <= Date.parse(until))
            );
          })
          .sort(
            (a, b) =>
              Date.parse(b.commit.committer.date) -
              Date.parse(a.commit.committer.date),
          )
          .map(({ files: _files, stats: _stats, ...item }) => item);
        return this.page(url, listed);
      }
      case '/repos/{owner}/{repo}/commits/{ref}': {
        const commit = repo.commits.find(c => c.sha === parts[5]);
        return commit ? { body: commit } : undefined;
      }
      default:
        return undefined;
    }
  }

  private page(url: URL, items: unknown[]): { body: unknown[]; link?: string } {
    const perPage = Math.min(
      100,
      Number(url.searchParams.get('per_page') ?? 30),
    );
    const page = Number(url.searchParams.get('page') ?? 1);
    const body = items.slice((page - 1) * perPage, page * perPage);
    if (page * perPage >= items.length) return { body };
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    const last = new URL(url);
    last.searchParams.set('page', String(Math.ceil(items.length / perPage)));
    return { body, link: `<${next}>; rel="next", <${last}>; rel="last"` };
  }
}
