import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  GITHUB_PATHS_ANNOTATION,
  GITHUB_PROJECT_SLUG_ANNOTATION,
} from '@internal/plugin-product-os-common';
import type {
  AnnotatedEntity,
  ProductOsSource,
} from '@internal/plugin-product-os-node';
import { createGitHubPull } from '@internal/plugin-product-os-backend-module-github/src/pull/createGitHubPull';
import { GitHubApi } from '@internal/plugin-product-os-backend-module-github/src/pull/GitHubApi';
import { readGitHubPullConfig } from '@internal/plugin-product-os-backend-module-github/src/pull/pullConfig';
import { FakeGitHub } from '@internal/plugin-product-os-backend-module-github/src/pull/__testUtils__/FakeGitHub';
import type { FakeRepository } from '@internal/plugin-product-os-backend-module-github/src/pull/__testUtils__/FakeRepository';
import {
  commitObject,
  deploymentObject,
  deploymentStatusObject,
  pullFileObject,
  pullObject,
  releaseObject,
  repositoryObject,
} from '@internal/plugin-product-os-backend-module-github/src/pull/__testUtils__/githubFixtures';
import type { SyncScenario } from './SyncScenario';

/*
 * GitHub: 2,000 entities over 1,500 repositories of one organisation (1,000 repositories of one
 * entity each, 500 monorepos of two entities told apart by `product-os.io/github-paths`), pulled
 * with one token against a local GitHub (the module tests' server: REST paths, `Link` pages,
 * ETags and 304s) that keeps GitHub's budget of 5,000 counted requests an hour: a 304 is not
 * counted, and past the budget every request is refused with a 403 until the window resets.
 *
 * Every repository merges a pull request (three files; by turns with a merge commit and squashed)
 * every 12 hours, deploys it (statuses `in_progress`, then `success`), and publishes a release a
 * week; the activity goes on after the back-fill began, on the pulls' clock, for the steady state
 * to find. A repository's objects are made on demand from that rule, a few held at a time.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const OWNER = 'acme';
const REPOSITORIES = 1_500;
const MONOREPOS_FROM = 1_000;
const TOKEN = 'ghp_benchToken';
/** Repositories whose objects are kept made; the rest are made again when asked. */
const MADE_AT_ONCE = 64;

interface Activity {
  mergeEveryHours: number;
}

/** The repository's n-th merge: its time, pull request number and merge commit. */
function merge(r: number, n: number, epoch: number, activity: Activity) {
  // Repositories are staggered over the period so the organisation's activity is even.
  const offset =
    ((r * 7919) % (activity.mergeEveryHours * 60)) * 60_000 +
    activity.mergeEveryHours * HOUR_MS;
  const at = epoch - offset + n * activity.mergeEveryHours * HOUR_MS;
  const sha = `${r.toString(16).padStart(4, '0')}${(n + 100_000).toString(
    16,
  )}`.padEnd(40, 'c');
  return { at, number: n + 100_000, sha };
}

/** Files of a merge: in a monorepo, the first or the second service's by turns. */
function filesOf(r: number, n: number): string[] {
  const root =
    r >= MONOREPOS_FROM ? `services/${n % 2 === 0 ? 'a' : 'b'}/` : 'src/';
  return [`${root}index.ts`, `${root}cart.ts`, `${root}cart.test.ts`];
}

/**
 * What GitHub holds of repository `r` at `now`: merges from `backfillDays + 1` days before the
 * epoch until `now`, newest first.
 */
function makeRepository(
  r: number,
  now: number,
  epoch: number,
  backfillDays: number,
  activity: Activity,
): FakeRepository {
  const fullName = `${OWNER}/repo-${r}`;
  const first = -Math.ceil(
    ((backfillDays + 1) * DAY_MS) / (activity.mergeEveryHours * HOUR_MS),
  );
  const repo: FakeRepository = {
    repository: repositoryObject(fullName),
    commits: [],
    pulls: [],
    pullFiles: new Map(),
    pullCommits: new Map(),
    deployments: [],
    statuses: new Map(),
    releases: [],
  };
  for (let n = first; ; n++) {
    const m = merge(r, n, epoch, activity);
    if (m.at > now) break;
    const iso = new Date(m.at).toISOString();
    const files = filesOf(r, n);
    // Merged by turns with a merge commit and squashed (GitHub's `Title (#number)`).
    const squashed = n % 2 !== 0;
    const parent = (p: number) => ({
      sha: `${m.sha.slice(0, 39)}${p}`,
      url: `https://api.github.com/repos/${fullName}/commits/${m.sha}`,
      html_url: `https://github.com/${fullName}/commit/${m.sha}`,
    });
    repo.commits.unshift({
      ...commitObject(fullName, {
        sha: m.sha,
        message: squashed
          ? `Cart totals ${m.number} (#${m.number})\n\n* Totals`
          : `Merge pull request #${m.number} from acme/cart-${m.number}\n\nCart totals`,
        date: iso,
        files: files.map(filename => ({ filename, status: 'modified' })),
        login: 'octocat',
      }),
      parents: squashed ? [parent(1)] : [parent(1), parent(2)],
    });
    repo.pulls.unshift(
      pullObject(fullName, {
        number: m.number,
        title: `Cart totals ${m.number}`,
        mergedAt: iso,
        updatedAt: iso,
        mergeSha: m.sha,
      }),
    );
    repo.pullFiles.set(
      m.number,
      files.map(file => pullFileObject(fullName, file)),
    );
    // Two commits on the pull request's branch, the first a day before the merge.
    repo.pullCommits!.set(
      m.number,
      [DAY_MS, HOUR_MS].map((before, i) => {
        const date = new Date(m.at - before).toISOString();
        return {
          oid: `${m.sha.slice(0, 38)}b${i}`,
          authoredDate: date,
          committedDate: date,
        };
      }),
    );
    const deploymentId = r * 1_000_000 + m.number;
    repo.deployments.unshift(
      deploymentObject(fullName, {
        id: deploymentId,
        sha: m.sha,
        ref: 'main',
        environment: 'production',
        createdAt: new Date(m.at + 60_000).toISOString(),
      }),
    );
    const done = m.at + 6 * 60_000;
    repo.statuses.set(
      deploymentId,
      [
        ...(done <= now
          ? [
              deploymentStatusObject(fullName, {
                id: deploymentId * 10 + 2,
                deploymentId,
                state: 'success',
                createdAt: new Date(done).toISOString(),
              }),
            ]
          : []),
        deploymentStatusObject(fullName, {
          id: deploymentId * 10 + 1,
          deploymentId,
          state: 'in_progress',
          createdAt: new Date(m.at + 2 * 60_000).toISOString(),
        }),
      ].filter(status => Date.parse(status.created_at) <= now),
    );
  }
  for (let week = 0; week * 7 * DAY_MS <= backfillDays * DAY_MS; week++) {
    const at = epoch - HOUR_MS - week * 7 * DAY_MS;
    repo.releases.push(
      releaseObject(fullName, {
        id: r * 1_000 + 500 - week,
        tag: `v1.${500 - week}.0`,
        publishedAt: new Date(at).toISOString(),
      }),
    );
  }
  return repo;
}

/**
 * The repositories as the fake server asks for them: made on demand for the clock's present,
 * and made again once a merge has happened since.
 */
class RepositoriesOnDemand extends Map<string, FakeRepository> {
  private readonly made = new Map<
    string,
    { merges: number; repo: FakeRepository }
  >();

  constructor(
    private readonly clock: () => number,
    private readonly epoch: number,
    private readonly backfillDays: number,
    private readonly activity: Activity,
  ) {
    super();
  }

  override get(key: string): FakeRepository | undefined {
    const match = /^acme\/repo-(\d+)$/.exec(key);
    const r = match ? Number(match[1]) : NaN;
    if (!(r >= 0 && r < REPOSITORIES)) return undefined;
    const now = this.clock();
    // Merges (and the statuses of the last) so far: the repository changes only with them.
    const period = this.activity.mergeEveryHours * HOUR_MS;
    const merges = Math.floor(
      (now - merge(r, 0, this.epoch, this.activity).at) / period,
    );
    const finished =
      now >= merge(r, merges, this.epoch, this.activity).at + 6 * 60_000;
    const version = merges * 2 + (finished ? 1 : 0);
    const cached = this.made.get(key);
    if (cached && cached.merges === version) {
      // Most recently used last, so the oldest is let go first.
      this.made.delete(key);
      this.made.set(key, cached);
      return cached.repo;
    }
    const repo = makeRepository(
      r,
      now,
      this.epoch,
      this.backfillDays,
      this.activity,
    );
    this.made.delete(key);
    this.made.set(key, { merges: version, repo });
    if (this.made.size > MADE_AT_ONCE)
      this.made.delete(this.made.keys().next().value!);
    return repo;
  }
}

/** The catalog: an entity per repository, two per monorepo (a service's paths each). */
function catalog(n: number): AnnotatedEntity[] {
  const entities: AnnotatedEntity[] = [];
  for (let r = 0; r < REPOSITORIES && entities.length < n; r++) {
    const slug = `${OWNER}/repo-${r}`;
    if (r < MONOREPOS_FROM) {
      entities.push({
        entityRef: `component:default/repo-${r}`,
        annotations: { [GITHUB_PROJECT_SLUG_ANNOTATION]: slug },
      });
      continue;
    }
    for (const service of ['a', 'b']) {
      if (entities.length >= n) break;
      entities.push({
        entityRef: `component:default/repo-${r}-${service}`,
        annotations: {
          [GITHUB_PROJECT_SLUG_ANNOTATION]: slug,
          [GITHUB_PATHS_ANNOTATION]: `services/${service}/`,
        },
      });
    }
  }
  return entities;
}

/** The last back-fill progress the pull logged (its own report of what is left). */
function progressRecorder(logger: LoggerService) {
  let last: Record<string, unknown> | undefined;
  const wrap = (inner: LoggerService): LoggerService => ({
    error: (message, meta) => inner.error(message, meta),
    warn: (message, meta) => inner.warn(message, meta),
    info: (message, meta) => {
      if (message === 'GitHub back-fill progress')
        last = meta as Record<string, unknown>;
      inner.info(message, meta);
    },
    debug: (message, meta) => inner.debug(message, meta),
    child: () => wrap(inner),
  });
  return { logger: wrap(logger), last: () => last };
}

/** GraphQL points spent in the last `hours` of the fake's clock. */
function steadyPoints(fake: FakeGitHub, hours: number): number {
  const spent = fake.graphql.spent;
  const end = spent.length ? spent[spent.length - 1][0] : 0;
  return spent
    .filter(([at]) => at > end - hours * HOUR_MS)
    .reduce((sum, [, cost]) => sum + cost, 0);
}

function githubScenario(options: {
  name: string;
  backfillDays: number;
  activity: Activity;
  backfillMinutes?: number;
  steadyHours?: number;
  summary: string;
}): SyncScenario {
  let fake: FakeGitHub | undefined;
  let progress: ReturnType<typeof progressRecorder> | undefined;
  let catalogSize = 0;
  return {
    name: options.name,
    entities: n => {
      const entities = catalog(n);
      catalogSize = entities.length;
      return entities;
    },
    vendor: (req, res, body) => fake!.handle(req, res, body),
    counted: (status, req) => status !== 304 && !/graphql$/.test(req.url ?? ''),
    backfilled: cursor => Boolean(cursor && JSON.parse(cursor).backfilled),
    backfillMinutes: options.backfillMinutes,
    steadyHours: options.steadyHours,
    createSource({ baseUrl, logger, now }): ProductOsSource {
      fake = new FakeGitHub({
        validate: false,
        recordRequests: false,
        clock: now,
        repositories: new RepositoriesOnDemand(
          now,
          now(),
          options.backfillDays,
          options.activity,
        ),
      });
      fake.resetAt = Math.floor(now() / 1000) + 3600;
      fake.graphql.resetAt = fake.resetAt;
      progress = progressRecorder(logger);
      const config = mockServices.rootConfig({
        data: {
          integrations: {
            github: [{ host: 'github.com', apiBaseUrl: baseUrl, token: TOKEN }],
          },
          productOs: {
            sources: {
              github: { pull: { backfillDays: options.backfillDays } },
            },
          },
        },
      });
      const api = GitHubApi.fromConfig(config, { logger: progress.logger })!;
      return {
        id: 'github',
        pull: {
          configured: true,
          pulls: [
            createGitHubPull({
              api,
              config: readGitHubPullConfig(config),
              logger: progress.logger,
            }),
          ],
        },
      };
    },
    describe() {
      const last = progress?.last();
      return [
        options.summary,
        `GitHub's budget: ${
          fake?.refused ?? 0
        } requests refused past it, at least ${
          fake?.lowestRemaining ?? '?'
        } of 5,000 left in every window; ${
          fake?.notModified ?? 0
        } 304s (not counted)`,
        `GitHub's GraphQL budget: ${fake?.graphql.queries ?? 0} queries, ${
          fake?.graphql.points ?? 0
        } points${
          options.steadyHours && fake
            ? ` (${steadyPoints(fake, options.steadyHours)} in the last ${
                options.steadyHours
              } h of the clock, the steady state: ${(
                steadyPoints(fake, options.steadyHours) /
                options.steadyHours /
                catalogSize
              ).toFixed(3)} per entity per hour)`
            : ''
        }; ${fake?.graphql.refused ?? 0} refused past it, at least ${
          fake && Number.isFinite(fake.graphql.lowestRemaining)
            ? fake.graphql.lowestRemaining
            : 5000
        } of 5,000 points left in every window`,
        `counted requests by route: ${
          [...(fake?.countedByRoute ?? [])]
            .sort(([, a], [, b]) => b - a)
            .map(
              ([route, n]) =>
                `${route.replace('/repos/{owner}/{repo}', '') || '/'} ${n}`,
            )
            .join(', ') || 'none'
        }`,
        ...(last
          ? [
              `the pull's last progress report: ${last.backfilled} of ${
                last.repositories
              } repositories back-filled, ${
                last.requestsPerRepository ?? '?'
              } counted requests and ${
                last.graphqlPointsPerRepository ?? '?'
              } GraphQL points per repository, ${
                last.timeLeftMinutes === undefined
                  ? 'time left unknown'
                  : `${(Number(last.timeLeftMinutes) / 60).toFixed(
                      1,
                    )} h left at the budget's pace`
              }`,
            ]
          : []),
      ];
    },
  };
}

/** The first back-fill of 30 days, paced to the budget; stopped after a bounded time. */
export const gitHubBackfillScenario = githubScenario({
  name: 'github',
  backfillDays: 30,
  activity: { mergeEveryHours: 12 },
  backfillMinutes: 12,
  summary:
    'activity: a merged pull request with its deployment every 12 h per repository, a release a week; 30 days back-filled. A full paced back-fill takes hours by design: the run stops after its time bound and reports how far it came.',
});

/**
 * The steady state: a back-fill of one day (done within the first hour's budget), then hours of
 * the same activity, pulled with conditional requests.
 */
export const gitHubSteadyScenario = githubScenario({
  name: 'github-steady',
  backfillDays: 1,
  activity: { mergeEveryHours: 12 },
  steadyHours: 2,
  summary:
    'activity: a merged pull request with its deployment every 12 h per repository; a one-day back-fill first, so the steady state of every repository is measured.',
});
