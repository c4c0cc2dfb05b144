import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitHubSchema } from './githubSchema';

type Json = Record<string, any>;

/** A repository as the fake serves it; every list newest first, as GitHub's are. */
export interface FakeRepository {
  repository: Json;
  /** Full commit objects (`GET /commits/{ref}`), files included. */
  commits: Json[];
  pulls: Json[];
  pullFiles: Map<number, Json[]>;
  deployments: Json[];
  /** Statuses per deployment id, newest first. */
  statuses: Map<number, Json[]>;
  releases: Json[];
}

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
    this.notModified = 0;
    this.refused = 0;
    this.lowestRemaining = Infinity;
    this.limit = 5000;
    this.remaining = 5000;
    this.resetAt = Math.floor(now / 1000) + 3600;
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

  /** Answers one request (the benchmark calls it from a server of its own). */
  handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    try {
      this.answer(req, res);
    } catch (error) {
      // A fault of the fake is the test's failure, not a request that never ends.
      this.invalid.push(`${req.url}: ${error}`);
      res.writeHead(500).end();
    }
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
  private spend(): void {
    this.counted += 1;
    this.remaining = Math.max(0, this.remaining - 1);
    this.lowestRemaining = Math.min(this.lowestRemaining, this.remaining);
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse) {
    // Links point back at the host asked, as GitHub's do.
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
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
    const { body, link } = found;
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
    this.spend();
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
