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

  private handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, 'http://localhost');
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
    for (const name of new Set(url.searchParams.keys())) {
      if (!queryParametersOf(route.operation).has(name))
        this.problems.push(
          `${route.operation}: undocumented parameter ${name}`,
        );
    }
    this.problems.push(...schemaErrors(route.operation, route.body));
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-sentry-rate-limit-limit': '40',
      'x-sentry-rate-limit-remaining': '39',
      'x-sentry-rate-limit-reset': String(Math.ceil(this.now / 1000) + 1),
      ...(route.link && { link: route.link }),
    });
    res.end(JSON.stringify(route.body));
  }

  private route(
    url: URL,
  ): { operation: string; body: unknown; link?: string } | undefined {
    const p = url.pathname;
    const q = url.searchParams;
    const org = `/api/0/organizations/${this.organization}`;
    const project = `/api/0/projects/${this.organization}/${this.project.slug}`;
    const match = (pattern: string) => p.match(new RegExp(pattern));
    if (p === `${org}/issues/`) {
      const from = Date.parse(q.get('start') ?? '') || 0;
      const to = Date.parse(q.get('end') ?? '') || Infinity;
      const matching = q.getAll('project').includes(this.project.slug)
        ? this.issues.filter(issue => this.countIn(issue, from, to) > 0)
        : [];
      const limit = Math.min(Number(q.get('limit') ?? 100), this.pageSize);
      return this.paged(
        '/api/0/organizations/{organization_id_or_slug}/issues/',
        url,
        matching.map(issue => this.issueItem(issue, from, to)),
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
      example.timeSeries = this.issues
        .filter(issue => ids.includes(issue.id))
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
      const issue = this.issues.find(i => i.id === latestEvent[1]);
      if (!issue) return undefined;
      const body = exampleOf(
        '/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/events/{event_id}/',
      );
      body.eventID = issue.latestEventId;
      body.id = issue.latestEventId;
      body.groupID = issue.id;
      body.projectID = this.project.id;
      body.title = issue.title;
      body.dateCreated = new Date(
        Math.max(...issue.hours.keys()) + 30 * 60_000,
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
      const issue = this.issues.find(i => i.id === issueDetails[1]);
      if (!issue) return undefined;
      const body = {
        ...exampleOf(
          '/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/',
        ),
        ...this.issueFields(issue),
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
    if (p === `${project}/releases/`) {
      const [template] = exampleOf(
        '/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/releases/',
      );
      const items = [...this.releases]
        .sort((a, b) => b.dateCreated - a.dateCreated)
        .map(release => ({
          ...template,
          version: release.version,
          shortVersion: release.version,
          dateCreated: new Date(release.dateCreated).toISOString(),
          commitCount: release.commits.length,
          deployCount: release.deploys.length,
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
              id: Number(this.project.id),
              slug: this.project.slug,
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
    const releaseCommits = match(`^${project}/releases/([^/]+)/commits/$`);
    if (releaseCommits) {
      const release = this.releases.find(
        r => r.version === decodeURIComponent(releaseCommits[1]),
      );
      if (!release) return undefined;
      const [template] = exampleOf(
        '/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/releases/{version}/commits/',
      );
      const items = release.commits.map(c => ({
        ...template,
        id: c.id,
        message: c.message,
        dateCreated: new Date(c.dateCreated).toISOString(),
        releases: [{ ...template.releases[0], version: release.version }],
      }));
      return this.paged(
        '/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/releases/{version}/commits/',
        url,
        items,
        100,
      );
    }
    const releaseDeploys = match(`^${org}/releases/([^/]+)/deploys/$`);
    if (releaseDeploys) {
      const release = this.releases.find(
        r => r.version === decodeURIComponent(releaseDeploys[1]),
      );
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

  private issueFields(issue: TestIssue) {
    const hours = [...issue.hours.keys()];
    const total = [...issue.hours.values()].reduce((a, b) => a + b, 0);
    return {
      id: issue.id,
      shortId: `CHECKOUT-API-${issue.id}`,
      title: issue.title,
      culprit: issue.culprit,
      level: issue.level,
      status: issue.status,
      substatus: issue.status === 'unresolved' ? 'ongoing' : null,
      permalink: `https://acme.sentry.io/issues/${issue.id}/`,
      project: {
        id: this.project.id,
        name: 'Checkout API',
        slug: this.project.slug,
        platform: 'node',
      },
      count: String(total),
      userCount: 3,
      firstSeen: new Date(issue.firstSeen).toISOString(),
      lastSeen: new Date(Math.max(...hours) + 30 * 60_000).toISOString(),
    };
  }

  private issueItem(issue: TestIssue, from: number, to: number) {
    const [template] = exampleOf(
      '/api/0/organizations/{organization_id_or_slug}/issues/',
    );
    const item = { ...template, ...this.issueFields(issue) };
    const current = Math.floor(this.now / HOUR) * HOUR;
    const stats = [];
    for (let i = 23; i >= 0; i--) {
      const hour = current - i * HOUR;
      stats.push([hour / 1000, issue.hours.get(hour) ?? 0]);
    }
    const lifetime = { ...this.issueFields(issue) };
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
