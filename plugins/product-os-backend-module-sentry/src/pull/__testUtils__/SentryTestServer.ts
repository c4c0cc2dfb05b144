import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { exampleOf, queryParametersOf, schemaErrors } from './sentryOpenApi';

const HOUR = 3_600_000;

/** An issue of the test organization, with its events per hour. */
export interface TestIssue {
  id: string;
  title: string;
  culprit: string;
  level: string;
  status: 'unresolved' | 'resolved' | 'ignored';
  firstSeen: number;
  firstRelease?: string;
  /** Events by hour start. */
  hours: Map<number, number>;
  latestEventId: string;
}

export interface TestRelease {
  version: string;
  dateCreated: number;
  commits: Array<{ id: string; message: string; dateCreated: number }>;
  deploys: Array<{ id: string; environment: string; dateFinished: number }>;
}

/** A project of the organization besides the default one, with its own issues and releases. */
export interface TestProject {
  id: string;
  slug: string;
  issues: TestIssue[];
  releases: TestRelease[];
}

export interface SentryTestServerOptions {
  /**
   * Checks every answer against the schema and every query parameter against those documented
   * (default true). The benchmark, which answers the same shapes tens of thousands of times,
   * turns it off.
   */
  checkAnswers?: boolean;
  /** Keeps every request in `requests` (default true). */
  recordRequests?: boolean;
  /**
   * Sentry's rate limit: per caller and endpoint, a fixed window of `limit` requests every
   * `windowSeconds` (Sentry documents a default of 40 a second), a 429 past it. Without it every
   * answer reports a budget of 40 with 39 left.
   */
  rateLimit?: { limit: number; windowSeconds: number; clock: () => number };
}

/** A request the server answered a fault instead of the documented answer. */
export type Fault =
  | { status: 429; retryAfter: number }
  | { status: 503 }
  | { hang: true };

/**
 * A local server answering as Sentry's web API documents (paths, query parameters, field names,
 * `Link` cursors with `results`, rate-limit headers), from the documented example answers with
 * this test organization's data in them. Every answer is checked against the OpenAPI schema of
 * its operation and every query parameter against those the operation documents; the test then
 * asserts that `problems` is empty, so a misnamed field or parameter fails it.
 */
export class SentryTestServer {
  readonly organization = 'acme';
  readonly project = { id: '4505', slug: 'checkout-api' };
  readonly token = 'sntrys_test_token';
  issues: TestIssue[] = [];
  releases: TestRelease[] = [];
  /** The organization's other projects, by slug (see {@link SentryTestServer.addProject}). */
  private readonly others = new Map<string, TestProject>();
  /** The other projects' issues by id, and their releases by version. */
  private readonly otherIssues = new Map<string, [TestIssue, TestProject]>();
  private readonly otherReleases = new Map<string, TestRelease>();
  /** The rate limit's window per endpoint: its start, epoch seconds, and requests in it. */
  private readonly windows = new Map<string, { start: number; used: number }>();
  /** The server's clock, epoch ms (the current hour ends `stats.24h`). */
  now = 0;
  /** Issues per page of the issue list (Sentry's `limit`, at most 100). */
  pageSize = 100;
  /** Faults to answer, in order, to requests whose path contains the key ('' for any). */
  readonly faults: Array<{ path: string; fault: Fault }> = [];
  /** Every request, as path and query. */
  readonly requests: Array<{ path: string; query: URLSearchParams }> = [];
  /** Schema and parameter mismatches found. */
  readonly problems: string[] = [];
  private server?: Server;

  constructor(private readonly options: SentryTestServerOptions = {}) {}

  /** Another project of the organization; its release versions must be unique in it. */
  addProject(project: TestProject): void {
    this.others.set(project.slug, project);
    for (const issue of project.issues)
      this.otherIssues.set(issue.id, [issue, project]);
    for (const release of project.releases)
      this.otherReleases.set(release.version, release);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise(resolve => this.server?.close(resolve));
  }

  requestsTo(fragment: string) {
    return this.requests.filter(r => r.path.includes(fragment));
  }

  /** Answers one request (the benchmark calls it from a server of its own). */
  handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, 'http://localhost');
    if (this.options.recordRequests ?? true)
      this.requests.push({ path: url.pathname, query: url.searchParams });
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: 'Invalid token' }));
      return;
    }
    const fault = this.faults.findIndex(f => url.pathname.includes(f.path));
    if (fault >= 0) {
      const [{ fault: f }] = this.faults.splice(fault, 1);
      if ('hang' in f) return; // never answered: the client's deadline ends it
      res.writeHead(f.status, {
        'content-type': 'application/json',
        ...(f.status === 429 && { 'retry-after': String(f.retryAfter) }),
      });
      res.end(JSON.stringify({ detail: 'try again' }));
      return;
    }
    const route = this.route(url);
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ detail: 'The requested resource does not exist' }),
      );
      return;
    }
    if (this.options.checkAnswers ?? true) {
      for (const name of new Set(url.searchParams.keys())) {
        if (!queryParametersOf(route.operation).has(name))
          this.problems.push(
            `${route.operation}: undocumented parameter ${name}`,
          );
      }
      this.problems.push(...schemaErrors(route.operation, route.body));
    }
    const budget = this.spend(route.operation);
    if (budget.remaining < 0) {
      res.writeHead(429, {
        'content-type': 'application/json',
        ...budget.headers,
      });
      res.end(
        JSON.stringify({
          detail: `You are attempting to use this endpoint too frequently. Limit is ${budget.limit} requests in ${budget.windowSeconds} seconds`,
        }),
      );
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      ...budget.headers,
      ...(route.link && { link: route.link }),
    });
    res.end(JSON.stringify(route.body));
  }

  /** One request against the endpoint's window, and the headers Sentry reports it with. */
  private spend(operation: string) {
    const limit = this.options.rateLimit;
    if (!limit) {
      return {
        limit: 40,
        windowSeconds: 1,
        remaining: 39,
        headers: {
          'x-sentry-rate-limit-limit': '40',
          'x-sentry-rate-limit-remaining': '39',
          'x-sentry-rate-limit-reset': String(Math.ceil(this.now / 1000) + 1),
        },
      };
    }
    const nowSeconds = limit.clock() / 1000;
    const start =
      Math.floor(nowSeconds / limit.windowSeconds) * limit.windowSeconds;
    let window = this.windows.get(operation);
    if (!window || window.start !== start) {
      window = { start, used: 0 };
      this.windows.set(operation, window);
    }
    window.used += 1;
    const remaining = limit.limit - window.used;
    return {
      limit: limit.limit,
      windowSeconds: limit.windowSeconds,
      remaining,
      headers: {
        'x-sentry-rate-limit-limit': String(limit.limit),
        'x-sentry-rate-limit-remaining': String(Math.max(0, remaining)),
        'x-sentry-rate-limit-reset': String(start + limit.windowSeconds),
      },
    };
  }

  /** The default project or another one, by slug or id. */
  private projectOf(
    slugOrId: string,
  ):
    | { id: string; slug: string; issues: TestIssue[]; releases: TestRelease[] }
    | undefined {
    if (slugOrId === this.project.slug || slugOrId === this.project.id)
      return { ...this.project, issues: this.issues, releases: this.releases };
    return (
      this.others.get(slugOrId) ??
      [...this.others.values()].find(project => project.id === slugOrId)
    );
  }

  /** An issue of any project by its id, with the project it belongs to. */
  private issueOf(
    id: string,
  ): [TestIssue, { id: string; slug: string }] | undefined {
    const own = this.issues.find(issue => issue.id === id);
    return own ? [own, this.project] : this.otherIssues.get(id);
  }

  private route(
    url: URL,
  ): { operation: string; body: unknown; link?: string } | undefined {
    const p = url.pathname;
    const q = url.searchParams;
    const org = `/api/0/organizations/${this.organization}`;
    const projects = `/api/0/projects/${this.organization}/([^/]+)`;
    const match = (pattern: string) => p.match(new RegExp(pattern));
    if (p === `${org}/issues/`) {
      const from = Date.parse(q.get('start') ?? '') || 0;
      const to = Date.parse(q.get('end') ?? '') || Infinity;
      const matching = q.getAll('project').flatMap(value => {
        const project = this.projectOf(value);
        return (project?.issues ?? [])
          .filter(issue => this.countIn(issue, from, to) > 0)
          .map(issue => this.issueItem(issue, project!, from, to));
      });
      const limit = Math.min(Number(q.get('limit') ?? 100), this.pageSize);
      return this.paged(
        '/api/0/organizations/{organization_id_or_slug}/issues/',
        url,
        matching,
        limit,
      );
    }
    if (p === `${org}/events-timeseries/`) {
      const ids =
        /issue\.id:\[([^\]]*)\]/.exec(q.get('query') ?? '')?.[1].split(',') ??
        [];
      const from = Math.floor(Date.parse(q.get('start')!) / HOUR) * HOUR;
      const to = Date.parse(q.get('end')!);
      const example = exampleOf(
        '/api/0/organizations/{organization_id_or_slug}/events-timeseries/',
      );
      const template = example.timeSeries[0];
      example.meta = { dataset: 'errors', start: from, end: to };
      example.timeSeries = ids
        .map(id => this.issueOf(id)?.[0])
        .filter((issue): issue is TestIssue => issue !== undefined)
        .map((issue, order) => {
          const values = [];
          for (let hour = from; hour <= to; hour += HOUR)
            values.push({
              timestamp: hour,
              value: issue.hours.get(hour) ?? 0,
              incomplete: hour + HOUR > to,
            });
          return {
            ...template,
            values,
            groupBy: [{ key: 'issue.id', value: issue.id }],
            meta: { ...template.meta, order, isOther: false },
          };
        });
      return {
        operation:
          '/api/0/organizations/{organization_id_or_slug}/events-timeseries/',
        body: example,
      };
    }
    const latestEvent = match(`^${org}/issues/(\\d+)/events/latest/$`);
    if (latestEvent) {
      const [issue, issueProject] = this.issueOf(latestEvent[1]) ?? [];
      if (!issue || !issueProject) return undefined;
      const body = exampleOf(
        '/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/events/{event_id}/',
      );
      body.eventID = issue.latestEventId;
      body.id = issue.latestEventId;
      body.groupID = issue.id;
      body.projectID = issueProject.id;
      body.title = issue.title;
      body.dateCreated = new Date(
        Math.max(...this.happened(issue).map(([hour]) => hour)) + 30 * 60_000,
      ).toISOString();
      body.release = null;
      body.tags = [
        { key: 'environment', value: 'production' },
        { key: 'level', value: issue.level },
      ];
      body.entries = [
        {
          type: 'exception',
          data: {
            values: [
              {
                type: 'TypeError',
                value: "Cannot read properties of undefined (reading 'amount')",
                module: null,
                stacktrace: {
                  frames: [
                    {
                      function: 'handle',
                      module: null,
                      filename: 'node_modules/express/lib/router/layer.js',
                      absPath: '/app/node_modules/express/lib/router/layer.js',
                      lineNo: 95,
                      colNo: 5,
                      inApp: false,
                      context: [],
                    },
                    {
                      function: 'computeTotal',
                      module: null,
                      filename: 'src/cart/total.ts',
                      absPath: '/app/src/cart/total.ts',
                      lineNo: 42,
                      colNo: 17,
                      inApp: true,
                      context: [[42, '  return cart.discount.amount;']],
                    },
                  ],
                  framesOmitted: null,
                  registers: null,
                  hasSystemFrames: true,
                },
              },
            ],
          },
        },
      ];
      return {
        operation:
          '/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/events/{event_id}/',
        body,
      };
    }
    const issueDetails = match(`^${org}/issues/(\\d+)/$`);
    if (issueDetails) {
      const [issue, issueProject] = this.issueOf(issueDetails[1]) ?? [];
      if (!issue || !issueProject) return undefined;
      const body = {
        ...exampleOf(
          '/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/',
        ),
        ...this.issueFields(issue, issueProject),
      };
      body.firstRelease = issue.firstRelease
        ? {
            ...body.firstRelease,
            version: issue.firstRelease,
            shortVersion: issue.firstRelease,
          }
        : null;
      return {
        operation:
          '/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/',
        body,
      };
    }
    const releaseList = match(`^${projects}/releases/$`);
    if (releaseList) {
      const project = this.projectOf(decodeURIComponent(releaseList[1]));
      if (!project) return undefined;
      const [template] = exampleOf(
        '/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/releases/',
      );
      const items = [...project.releases]
        .sort((a, b) => b.dateCreated - a.dateCreated)
        .map(release => ({
          ...template,
          version: release.version,
          shortVersion: release.version,
          dateCreated: new Date(release.dateCreated).toISOString(),
          commitCount: release.commits.length,
          deployCount: release.deploys.length,
          lastCommit: release.commits.length
            ? this.commitItem(
                release,
                [...release.commits].sort(
                  (a, b) => b.dateCreated - a.dateCreated,
                )[0],
              )
            : null,
          lastDeploy: release.deploys.length
            ? {
                id: release.deploys.at(-1)!.id,
                environment: release.deploys.at(-1)!.environment,
                name: release.version,
                dateStarted: null,
                url: null,
                dateFinished: new Date(
                  release.deploys.at(-1)!.dateFinished,
                ).toISOString(),
              }
            : null,
          projects: [
            {
              ...template.projects[0],
              id: Number(project.id),
              slug: project.slug,
            },
          ],
        }));
      return this.paged(
        '/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/releases/',
        url,
        items,
        Number(q.get('per_page') ?? 100),
      );
    }
    const releaseCommits = match(`^${projects}/releases/([^/]+)/commits/$`);
    if (releaseCommits) {
      const release = this.projectOf(
        decodeURIComponent(releaseCommits[1]),
      )?.releases.find(
        r => r.version === decodeURIComponent(releaseCommits[2]),
      );
      if (!release) return undefined;
      const items = release.commits.map(c => this.commitItem(release, c));
      return this.paged(
        '/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/releases/{version}/commits/',
        url,
        items,
        100,
      );
    }
    const releaseDeploys = match(`^${org}/releases/([^/]+)/deploys/$`);
    if (releaseDeploys) {
      const version = decodeURIComponent(releaseDeploys[1]);
      const release =
        this.releases.find(r => r.version === version) ??
        this.otherReleases.get(version);
      if (!release) return undefined;
      // The OpenAPI description has no example deploy; its schema's required fields, filled.
      const items = release.deploys.map(d => ({
        id: d.id,
        environment: d.environment,
        dateStarted: null,
        dateFinished: new Date(d.dateFinished).toISOString(),
        name: null,
        url: null,
      }));
      return this.paged(
        '/api/0/organizations/{organization_id_or_slug}/releases/{version}/deploys/',
        url,
        items,
        100,
      );
    }
    return undefined;
  }

  /** A commit as a release's commit list renders it (and a release its `lastCommit`). */
  private commitItem(release: TestRelease, commit: TestRelease['commits'][0]) {
    const [template] = exampleOf(
      '/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/releases/{version}/commits/',
    );
    return {
      ...template,
      id: commit.id,
      message: commit.message,
      dateCreated: new Date(commit.dateCreated).toISOString(),
      releases: [{ ...template.releases[0], version: release.version }],
    };
  }

  /** A page of a list with Sentry's `Link` header: cursors `0:<offset>:<is previous>`. */
  private paged(operation: string, url: URL, items: unknown[], limit: number) {
    const offset =
      Number((url.searchParams.get('cursor') ?? '0:0:0').split(':')[1]) || 0;
    const base = new URL(url.toString());
    const link = (
      rel: string,
      at: number,
      results: boolean,
      previous: number,
    ) => {
      base.searchParams.set('cursor', `0:${at}:${previous}`);
      return `<${base}>; rel="${rel}"; results="${results}"; cursor="0:${at}:${previous}"`;
    };
    return {
      operation,
      body: items.slice(offset, offset + limit),
      link: [
        link('previous', Math.max(0, offset - limit), offset > 0, 1),
        link('next', offset + limit, offset + limit < items.length, 0),
      ].join(', '),
    };
  }

  private countIn(issue: TestIssue, from: number, to: number): number {
    let count = 0;
    for (const [hour, n] of issue.hours)
      if (hour + HOUR > from && hour <= to) count += n;
    return count;
  }

  /**
   * The issue's hours up to the server's clock: hours after it have not happened yet (the
   * benchmark seeds events ahead for its steady state). An issue with none yet shows them all.
   */
  private happened(issue: TestIssue): Array<[number, number]> {
    const all = [...issue.hours];
    const past = all.filter(([hour]) => hour <= this.now);
    return past.length > 0 ? past : all;
  }

  private issueFields(
    issue: TestIssue,
    project: { id: string; slug: string } = this.project,
  ) {
    const happened = this.happened(issue);
    const hours = happened.map(([hour]) => hour);
    const total = happened.reduce((sum, [, count]) => sum + count, 0);
    return {
      id: issue.id,
      shortId: `${project.slug.toUpperCase()}-${issue.id}`,
      title: issue.title,
      culprit: issue.culprit,
      level: issue.level,
      status: issue.status,
      substatus: issue.status === 'unresolved' ? 'ongoing' : null,
      permalink: `https://acme.sentry.io/issues/${issue.id}/`,
      project: {
        id: project.id,
        name:
          project.slug === this.project.slug ? 'Checkout API' : project.slug,
        slug: project.slug,
        platform: 'node',
      },
      count: String(total),
      userCount: 3,
      firstSeen: new Date(issue.firstSeen).toISOString(),
      lastSeen: new Date(Math.max(...hours) + 30 * 60_000).toISOString(),
    };
  }

  private issueItem(
    issue: TestIssue,
    project: { id: string; slug: string },
    from: number,
    to: number,
  ) {
    const [template] = exampleOf(
      '/api/0/organizations/{organization_id_or_slug}/issues/',
    );
    const item = { ...template, ...this.issueFields(issue, project) };
    const current = Math.floor(this.now / HOUR) * HOUR;
    const stats = [];
    for (let i = 23; i >= 0; i--) {
      const hour = current - i * HOUR;
      stats.push([hour / 1000, issue.hours.get(hour) ?? 0]);
    }
    const lifetime = { ...this.issueFields(issue, project) };
    return {
      ...item,
      // Within the queried period, as Sentry answers; the lifetime figures beside them.
      count: String(this.countIn(issue, from, to)),
      stats: { '24h': stats },
      lifetime: {
        count: lifetime.count,
        userCount: 3,
        firstSeen: lifetime.firstSeen,
        lastSeen: lifetime.lastSeen,
      },
      issueType: 'error',
      issueCategory: 'error',
    };
  }
}
