import {
  GITHUB_PATHS_ANNOTATION,
  GITHUB_PROJECT_SLUG_ANNOTATION,
} from '@internal/plugin-product-os-common';
import { mockSourceContext } from '@internal/plugin-product-os-node/testUtils';
import { FakeGitHub } from './__testUtils__/FakeGitHub';
import {
  commitObject,
  deploymentObject,
  deploymentStatusObject,
  pullFileObject,
  pullObject,
  releaseObject,
  repositoryObject,
} from './__testUtils__/githubFixtures';
import { pullHarness } from './__testUtils__/pullHarness';

// Compiling GitHub's OpenAPI description for the fake's checks takes a few seconds.
jest.setTimeout(60_000);

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const iso = (hoursAgo: number) =>
  new Date(NOW - hoursAgo * 3_600_000).toISOString().replace('.000', '');
const sha = (n: number) => n.toString(16).padStart(40, 'c');
const REPO = 'acme/shop';

function entity(name: string, annotations: Record<string, string>) {
  return { entityRef: `component:default/${name}`, annotations };
}

/** A repository with a month and more of history: some of it inside the window, some before. */
function seedShop(github: FakeGitHub) {
  const repo = github.repository(REPO);
  repo.repository = repositoryObject(REPO);
  repo.commits = [
    commitObject(REPO, {
      sha: sha(3),
      message: 'Fix checkout totals\n\nRounding',
      date: iso(2),
      login: 'octocat',
      files: [{ filename: 'services/checkout/total.ts', status: 'modified' }],
    }),
    commitObject(REPO, {
      sha: sha(2),
      message: 'Move payments client',
      date: iso(30),
      files: [
        {
          filename: 'libs/payments/client.ts',
          status: 'renamed',
          previous_filename: 'libs/pay/client.ts',
        },
      ],
    }),
    // Older than the 30-day window: not pulled.
    commitObject(REPO, {
      sha: sha(1),
      message: 'Initial',
      date: iso(24 * 40),
      files: [{ filename: 'README.md', status: 'added' }],
    }),
  ];
  repo.pulls = [
    pullObject(REPO, {
      number: 12,
      title: 'Checkout totals',
      mergedAt: iso(3),
      updatedAt: iso(3),
      mergeSha: sha(3),
      login: 'octocat',
    }),
    pullObject(REPO, {
      number: 11,
      title: 'Abandoned idea',
      mergedAt: null,
      updatedAt: iso(5),
      mergeSha: sha(9),
    }),
  ];
  repo.pullFiles.set(12, [
    pullFileObject(REPO, 'services/checkout/total.ts'),
    pullFileObject(REPO, 'services/checkout/total.test.ts'),
  ]);
  // Written a day before it was rebased onto main (committed 4 h ago) and merged.
  repo.pullCommits = new Map([
    [
      12,
      [
        { oid: sha(31), authoredDate: iso(27), committedDate: iso(4) },
        { oid: sha(32), authoredDate: iso(5), committedDate: iso(4) },
      ],
    ],
  ]);
  repo.deployments = [
    deploymentObject(REPO, {
      id: 502,
      sha: sha(3),
      ref: 'main',
      environment: 'production',
      createdAt: iso(1),
    }),
    deploymentObject(REPO, {
      id: 501,
      sha: sha(2),
      ref: 'main',
      environment: 'production',
      createdAt: iso(29),
    }),
  ];
  repo.statuses.set(501, [
    deploymentStatusObject(REPO, {
      id: 9001,
      deploymentId: 501,
      state: 'success',
      createdAt: iso(28),
      logUrl: 'https://ci.example.com/501',
    }),
  ]);
  repo.statuses.set(502, [
    deploymentStatusObject(REPO, {
      id: 9002,
      deploymentId: 502,
      state: 'in_progress',
      createdAt: iso(1),
    }),
  ]);
  repo.releases = [
    releaseObject(REPO, { id: 71, tag: 'v1.4.0', publishedAt: iso(4) }),
  ];
  return repo;
}

describe('the GitHub pull', () => {
  const github = new FakeGitHub();
  beforeAll(() => github.start());
  afterAll(() => github.stop());
  beforeEach(() => github.reset(NOW));

  function setup(
    entities = [
      entity('shop', { [GITHUB_PROJECT_SLUG_ANNOTATION]: 'Acme/Shop' }),
    ],
    apiPath = '',
  ) {
    const mock = mockSourceContext({ entities });
    const harness = pullHarness({
      github,
      store: mock.context.store,
      entities,
      apiPath,
    });
    const rows = () =>
      [...mock.store.changes].sort((a, b) =>
        `${a.entityRef}${a.kind}${a.externalId}`.localeCompare(
          `${b.entityRef}${b.kind}${b.externalId}`,
        ),
      );
    return { ...harness, mock, rows };
  }

  it('back-fills the window: commits with files, merged pull requests with files, deployments with their status, releases', async () => {
    seedShop(github);
    const { run, rows, pull } = setup();
    expect(
      pull.scopeOf(
        entity('x', { [GITHUB_PROJECT_SLUG_ANNOTATION]: 'Acme/Shop' }),
      ),
    ).toBe('acme/shop');

    const result = await run('acme/shop', NOW);

    expect(github.invalid).toEqual([]);
    const ref = 'component:default/shop';
    expect(rows()).toEqual([
      {
        entityRef: ref,
        source: 'github',
        kind: 'commit',
        externalId: sha(2),
        title: 'Move payments client',
        author: 'Monalisa Octocat',
        sha: sha(2),
        url: `https://github.com/${REPO}/commit/${sha(2)}`,
        occurredAt: Date.parse(iso(30)),
        files: ['libs/payments/client.ts', 'libs/pay/client.ts'],
      },
      {
        entityRef: ref,
        source: 'github',
        kind: 'commit',
        externalId: sha(3),
        title: 'Fix checkout totals',
        author: 'octocat',
        sha: sha(3),
        url: `https://github.com/${REPO}/commit/${sha(3)}`,
        occurredAt: Date.parse(iso(2)),
        files: ['services/checkout/total.ts'],
      },
      {
        entityRef: ref,
        source: 'github',
        kind: 'deployment',
        externalId: '501',
        title: `Deploy main (${sha(2).slice(0, 7)}) to production`,
        author: 'Codertocat',
        sha: sha(2),
        environment: 'production',
        status: 'success',
        url: 'https://ci.example.com/501',
        occurredAt: Date.parse(iso(29)),
        finishedAt: Date.parse(iso(28)),
      },
      {
        entityRef: ref,
        source: 'github',
        kind: 'deployment',
        externalId: '502',
        title: `Deploy main (${sha(3).slice(0, 7)}) to production`,
        author: 'Codertocat',
        sha: sha(3),
        environment: 'production',
        status: 'in_progress',
        url: undefined,
        occurredAt: Date.parse(iso(1)),
        finishedAt: undefined,
      },
      {
        entityRef: ref,
        source: 'github',
        kind: 'pull_request',
        externalId: '12',
        number: 12,
        title: 'Checkout totals',
        author: 'octocat',
        status: 'merged',
        sha: sha(3),
        url: `https://github.com/${REPO}/pull/12`,
        occurredAt: Date.parse(iso(3)),
        files: [
          'services/checkout/total.ts',
          'services/checkout/total.test.ts',
        ],
        // Its first commit's authoring, the earlier of its two dates.
        firstCommitAt: Date.parse(iso(27)),
      },
      {
        entityRef: ref,
        source: 'github',
        kind: 'release',
        externalId: 'v1.4.0',
        title: 'Release v1.4.0',
        author: 'Codertocat',
        sha: undefined,
        status: 'published',
        url: `https://github.com/${REPO}/releases/tag/v1.4.0`,
        occurredAt: Date.parse(iso(4)),
      },
    ]);
    expect(result.items).toBe(6);
    // REST: repository, releases, deployments, pulls, commits + 2 commits (neither is a merge)
    expect(github.counted).toBe(7);
    // GraphQL: the deployments' statuses, and the merged pull request's files and first commit
    expect(github.graphql).toMatchObject({ queries: 2, points: 2 });
    expect(github.requests.filter(r => /statuses|\/files/.test(r))).toEqual([]);
    expect(github.requests.some(r => r.includes(sha(1)))).toBe(false);
    expect(JSON.parse(result.cursor!).backfilled).toBe(true);
    expect(result.cursor!.length).toBeLessThan(2048);
  });

  it('asks again with ETags: an unchanged repository costs 304s only, and a second pull changes nothing', async () => {
    seedShop(github);
    const { run, rows, mock } = setup();
    await run('acme/shop', NOW);
    // The commit list's URL moved to the newest commit stored: that one list is asked once more.
    await run('acme/shop', NOW + 900_000);
    const before = JSON.stringify(rows());
    const transactions = mock.store.transactions;
    github.counted = 0;
    github.notModified = 0;

    const result = await run('acme/shop', NOW + 1_800_000);

    expect(github.counted).toBe(0);
    // repository, releases, deployments, the running deployment's statuses, pulls, commits
    expect(github.notModified).toBe(6);
    expect(result.items).toBe(0);
    expect(mock.store.transactions).toBe(transactions);
    expect(JSON.stringify(rows())).toBe(before);
  });

  it('pulls only what changed: a new commit, a new merged pull request, a deployment that finished', async () => {
    const repo = seedShop(github);
    const { run, rows } = setup();
    await run('acme/shop', NOW);
    await run('acme/shop', NOW + 60_000);
    repo.commits.unshift(
      commitObject(REPO, {
        sha: sha(4),
        message: 'Tune retries',
        date: iso(-1),
        login: 'hubot',
        files: [{ filename: 'services/checkout/retry.ts', status: 'added' }],
      }),
    );
    repo.pulls.unshift(
      pullObject(REPO, {
        number: 13,
        title: 'Tune retries',
        mergedAt: iso(-1),
        updatedAt: iso(-1),
        mergeSha: sha(4),
        login: 'hubot',
      }),
    );
    repo.pullFiles.set(13, [
      pullFileObject(REPO, 'services/checkout/retry.ts'),
    ]);
    repo.statuses.get(502)!.unshift(
      deploymentStatusObject(REPO, {
        id: 9003,
        deploymentId: 502,
        state: 'success',
        createdAt: iso(-1),
        logUrl: 'https://ci.example.com/502',
      }),
    );
    github.counted = 0;
    github.graphql.queries = 0;
    github.requests.length = 0;

    const result = await run('acme/shop', NOW + 2 * 3_600_000);

    expect(github.invalid).toEqual([]);
    const byId = Object.fromEntries(
      rows().map(row => [`${row.kind}:${row.externalId}`, row]),
    );
    expect(byId[`commit:${sha(4)}`]).toMatchObject({
      author: 'hubot',
      files: ['services/checkout/retry.ts'],
    });
    expect(byId['pull_request:13']).toMatchObject({
      sha: sha(4),
      files: ['services/checkout/retry.ts'],
    });
    expect(byId['deployment:502']).toMatchObject({
      status: 'success',
      finishedAt: Date.parse(iso(-1)),
      url: 'https://ci.example.com/502',
    });
    expect(rows()).toHaveLength(8);
    expect(result.items).toBe(3);
    // REST: pulls, commits + the new commit, statuses of 502 + the deployment; GraphQL: #13
    expect(github.counted).toBe(5);
    expect(github.graphql.queries).toBe(1);
    expect(github.requests.filter(r => r.includes('/commits/'))).toEqual([
      `GET /repos/acme/shop/commits/${sha(4)}`,
    ]);
  });

  it('gives each entity of a monorepo the commits and pull requests that touch its paths, and everyone the deployments and releases', async () => {
    seedShop(github);
    const entities = [
      entity('checkout', {
        [GITHUB_PROJECT_SLUG_ANNOTATION]: REPO,
        [GITHUB_PATHS_ANNOTATION]: 'services/checkout/',
      }),
      entity('payments', {
        [GITHUB_PROJECT_SLUG_ANNOTATION]: REPO,
        [GITHUB_PATHS_ANNOTATION]: './libs/payments/',
      }),
    ];
    const { run, rows } = setup(entities);

    await run('acme/shop', NOW);

    const owned = (name: string) =>
      rows()
        .filter(row => row.entityRef === `component:default/${name}`)
        .map(row => `${row.kind}:${row.externalId}`);
    expect(owned('checkout')).toEqual([
      `commit:${sha(3)}`,
      'deployment:501',
      'deployment:502',
      'pull_request:12',
      'release:v1.4.0',
    ]);
    expect(owned('payments')).toEqual([
      `commit:${sha(2)}`,
      'deployment:501',
      'deployment:502',
      'release:v1.4.0',
    ]);
  });

  it('waits out a secondary rate limit and retries a 502 through the octokit plugins, honouring Retry-After', async () => {
    seedShop(github);
    const { run, rows, logger } = setup();
    github.inject(
      1,
      {
        status: 403,
        headers: { 'retry-after': '60' },
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        },
      },
      path => path.endsWith('/releases'),
    );
    github.inject(
      1,
      {
        status: 429,
        headers: { 'retry-after': '30' },
        body: { message: 'You have exceeded a secondary rate limit.' },
      },
      path => path.endsWith('/pulls'),
    );
    github.inject(2, { status: 502, body: { message: 'Server Error' } }, path =>
      path.endsWith('/deployments'),
    );

    await run('acme/shop', NOW);

    expect(rows()).toHaveLength(6);
    const waits = logger.lines
      .filter(
        ([, message]) => message === 'GitHub secondary rate limit reached',
      )
      .map(([, , meta]) => (meta as { retryAfter: number }).retryAfter);
    expect(waits).toEqual([60, 30]);
    expect(
      github.requests.filter(
        r => r === 'GET /repos/acme/shop/deployments?per_page=100',
      ),
    ).toHaveLength(3);
  });

  it('keeps what is stored when GitHub is down, and the host keeps the cursor', async () => {
    seedShop(github);
    const { run, rows, cursor } = setup();
    await run('acme/shop', NOW);
    const stored = JSON.stringify(rows());
    const kept = cursor('acme/shop');
    github.inject(100, {
      status: 503,
      body: { message: 'Service Unavailable' },
    });

    await expect(run('acme/shop', NOW + 900_000)).rejects.toMatchObject({
      status: 503,
    });

    expect(JSON.stringify(rows())).toBe(stored);
    expect(cursor('acme/shop')).toBe(kept);
  });

  it('takes a merge or squash commit’s files from its pull request instead of asking for the commit', async () => {
    const repo = seedShop(github);
    const squash = {
      ...commitObject(REPO, {
        sha: sha(4),
        message: 'Checkout coupons (#13)\n\n* Coupons\n* Tests',
        date: iso(1.5),
        files: [{ filename: 'services/checkout/coupons.ts', status: 'added' }],
      }),
      parents: [{ sha: sha(3), url: 'u', html_url: 'h' }],
    };
    const mergeCommit = {
      ...commitObject(REPO, {
        sha: sha(5),
        message: 'Merge pull request #14 from acme/payments-retry',
        date: iso(1),
        files: [{ filename: 'libs/payments/retry.ts', status: 'modified' }],
      }),
      parents: [
        { sha: sha(4), url: 'u', html_url: 'h' },
        { sha: sha(6), url: 'u', html_url: 'h' },
      ],
    };
    repo.commits.unshift(mergeCommit, squash);
    repo.pulls.unshift(
      pullObject(REPO, {
        number: 14,
        title: 'Retry payments',
        mergedAt: iso(1),
        updatedAt: iso(1),
        mergeSha: sha(5),
      }),
      pullObject(REPO, {
        number: 13,
        title: 'Checkout coupons',
        mergedAt: iso(1.5),
        updatedAt: iso(1.5),
        mergeSha: sha(4),
      }),
    );
    repo.pullFiles.set(13, [
      pullFileObject(REPO, 'services/checkout/coupons.ts'),
    ]);
    repo.pullFiles.set(14, [pullFileObject(REPO, 'libs/payments/retry.ts')]);
    const { run, rows } = setup();

    await run('acme/shop', NOW);

    expect(github.invalid).toEqual([]);
    const commitRequests = github.requests.filter(r =>
      /\/commits\/[0-9a-f]{40}/.test(r),
    );
    // sha(3), pull request 12's merge sha, is neither a merge commit nor a squash title (a
    // rebase merge's last commit may be): it is asked for.
    expect(commitRequests.map(r => r.split('/commits/')[1])).toEqual([
      sha(3),
      sha(2),
    ]);
    const commits = rows().filter(row => row.kind === 'commit');
    expect(commits.map(row => [row.externalId, row.title, row.files])).toEqual([
      [
        sha(2),
        'Move payments client',
        ['libs/payments/client.ts', 'libs/pay/client.ts'],
      ],
      [sha(3), 'Fix checkout totals', ['services/checkout/total.ts']],
      [sha(4), 'Checkout coupons (#13)', ['services/checkout/coupons.ts']],
      [
        sha(5),
        'Merge pull request #14 from acme/payments-retry',
        ['libs/payments/retry.ts'],
      ],
    ]);
  });

  it('reports the back-fill’s progress with each repository’s own requests when several are pulled at once', async () => {
    seedShop(github);
    const other = github.repository('acme/cart');
    other.repository = repositoryObject('acme/cart');
    const { run, logger } = setup([
      entity('shop', { [GITHUB_PROJECT_SLUG_ANNOTATION]: 'acme/shop' }),
      entity('cart', { [GITHUB_PROJECT_SLUG_ANNOTATION]: 'acme/cart' }),
    ]);
    await Promise.all([run('acme/shop', NOW), run('acme/cart', NOW)]);

    const reports = logger.lines
      .filter(([, message]) => message === 'GitHub back-fill progress')
      .map(
        ([, , meta]) =>
          meta as {
            requestsPerRepository: number;
            graphqlPointsPerRepository: number;
            graphqlRemaining: number;
          },
      );
    expect(reports).toHaveLength(2);
    // Two repositories back-filled for all the requests made: the mean, not a repository's own
    // requests with the other's counted in.
    expect(reports[1].requestsPerRepository).toBe(
      Math.round(github.counted / 2),
    );
    // Only the shop has deployments and pull requests: its two queries, a point each.
    expect(github.graphql.points).toBe(2);
    expect(reports[1].graphqlPointsPerRepository).toBe(1);
    expect(reports[1].graphqlRemaining).toBe(4998);
  });

  it('keeps the reserve when several repositories are pulled at once: each counts what the others are about to spend', async () => {
    for (const name of ['acme/shop', 'acme/cart']) {
      const repo = github.repository(name);
      repo.repository = repositoryObject(name);
      for (let i = 0; i < 150; i++)
        repo.commits.push(
          commitObject(name, {
            sha: sha(name.length * 10_000 + i),
            message: `Change ${i}`,
            date: iso(10 + i / 100),
            files: [{ filename: `src/f${i}.ts`, status: 'added' }],
          }),
        );
    }
    const { run } = setup([
      entity('shop', { [GITHUB_PROJECT_SLUG_ANNOTATION]: 'acme/shop' }),
      entity('cart', { [GITHUB_PROJECT_SLUG_ANNOTATION]: 'acme/cart' }),
    ]);
    // Room for one repository's first page of 100 commits above the reserve of 500, not two.
    github.remaining = 650;

    const [shop, cart] = await Promise.all([
      run('acme/shop', NOW),
      run('acme/cart', NOW),
    ]);

    expect(github.lowestRemaining).toBeGreaterThanOrEqual(500);
    expect(
      [shop, cart].map(result => JSON.parse(result.cursor!).backfilled),
    ).toEqual([false, false]);
    expect(github.counted).toBeGreaterThan(100);
  });

  it('stops before the reserve of the budget and goes on where it stopped once the window resets', async () => {
    const repo = seedShop(github);
    for (let i = 0; i < 150; i++) {
      repo.commits.splice(
        1,
        0,
        commitObject(REPO, {
          sha: sha(1000 + i),
          message: `Change ${i}`,
          date: iso(10 + i / 100),
          files: [{ filename: `services/checkout/f${i}.ts`, status: 'added' }],
        }),
      );
    }
    const { run, rows, logger } = setup();
    // 650 left of 5,000: the back-fill may spend down to the 500 kept in reserve, which holds
    // the first page of 100 commits but not the second.
    github.remaining = 650;

    const first = await run('acme/shop', NOW);

    expect(github.remaining).toBeGreaterThanOrEqual(500);
    expect(JSON.parse(first.cursor!).backfilled).toBe(false);
    const partly = rows().filter(row => row.kind === 'commit').length;
    expect(partly).toBe(100);
    expect(
      logger.lines.some(([, message]) =>
        message.startsWith("Paused to keep GitHub's rate-limit reserve"),
      ),
    ).toBe(true);

    github.remaining = 5000;
    github.resetAt += 3600;
    const second = await run('acme/shop', NOW + 3_700_000);

    expect(JSON.parse(second.cursor!).backfilled).toBe(true);
    expect(rows().filter(row => row.kind === 'commit')).toHaveLength(152);
    expect(
      logger.lines.some(
        ([, message, meta]) =>
          message === 'GitHub back-fill progress' &&
          (meta as { backfilled: number }).backfilled === 1,
      ),
    ).toBe(true);
  });

  it('takes the files of a pull request of one commit for that commit: rebased onto main, or brought in by a merge commit', async () => {
    const repo = seedShop(github);
    // #15 rebase-merged: its one commit was rewritten onto main as sha(7), its merge sha.
    const rebased = commitObject(REPO, {
      sha: sha(7),
      message: 'Cache totals',
      date: iso(1.5),
      files: [{ filename: 'services/checkout/cache.ts', status: 'added' }],
    });
    // #16 merged with a merge commit: its one commit sha(81) is on main as it was.
    const branchCommit = commitObject(REPO, {
      sha: sha(81),
      message: 'Retry the gateway',
      date: iso(1.2),
      files: [{ filename: 'libs/payments/gateway.ts', status: 'modified' }],
    });
    const mergeCommit = {
      ...commitObject(REPO, {
        sha: sha(8),
        message: 'Merge pull request #16 from acme/gateway',
        date: iso(1),
        files: [{ filename: 'libs/payments/gateway.ts', status: 'modified' }],
      }),
      parents: [
        { sha: sha(7), url: 'u', html_url: 'h' },
        { sha: sha(81), url: 'u', html_url: 'h' },
      ],
    };
    repo.commits.unshift(mergeCommit, branchCommit, rebased);
    repo.pulls.unshift(
      pullObject(REPO, {
        number: 16,
        title: 'Retry the gateway',
        mergedAt: iso(1),
        updatedAt: iso(1),
        mergeSha: sha(8),
      }),
      pullObject(REPO, {
        number: 15,
        title: 'Cache totals',
        mergedAt: iso(1.5),
        updatedAt: iso(1.5),
        mergeSha: sha(7),
      }),
    );
    repo.pullFiles.set(15, [
      pullFileObject(REPO, 'services/checkout/cache.ts'),
    ]);
    repo.pullFiles.set(16, [pullFileObject(REPO, 'libs/payments/gateway.ts')]);
    repo.pullCommits!.set(15, [
      { oid: sha(70), authoredDate: iso(20), committedDate: iso(20) },
    ]);
    repo.pullCommits!.set(16, [
      { oid: sha(81), authoredDate: iso(1.2), committedDate: iso(1.2) },
    ]);
    const { run, rows } = setup();

    await run('acme/shop', NOW);

    expect(github.invalid).toEqual([]);
    const asked = github.requests
      .filter(r => /\/commits\/[0-9a-f]{40}/.test(r))
      .map(r => r.split('/commits/')[1]);
    // Only the commits of no such pull request: #12's last of two, and a direct push.
    expect(asked).toEqual([sha(3), sha(2)]);
    const files = Object.fromEntries(
      rows()
        .filter(row => row.kind === 'commit')
        .map(row => [row.externalId, row.files]),
    );
    expect(files[sha(7)]).toEqual(['services/checkout/cache.ts']);
    expect(files[sha(81)]).toEqual(['libs/payments/gateway.ts']);
    expect(files[sha(8)]).toEqual(['libs/payments/gateway.ts']);
    expect(
      rows().find(
        row => row.kind === 'pull_request' && row.externalId === '15',
      ),
    ).toMatchObject({ firstCommitAt: Date.parse(iso(20)) });
  });

  it('lists a pull request’s files through REST where GraphQL cannot name them exactly: a rename’s old path', async () => {
    const repo = seedShop(github);
    repo.pullFiles.set(12, [
      {
        ...pullFileObject(REPO, 'services/checkout/sum.ts'),
        status: 'renamed',
        previous_filename: 'services/checkout/total.ts',
      },
    ]);
    const { run, rows } = setup();

    await run('acme/shop', NOW);

    expect(github.invalid).toEqual([]);
    expect(
      github.requests.filter(r => r.includes('/pulls/12/files')),
    ).toHaveLength(1);
    expect(rows().find(row => row.kind === 'pull_request')?.files).toEqual([
      'services/checkout/sum.ts',
      'services/checkout/total.ts',
    ]);
  });

  it('keeps the reserve of the GraphQL budget too, and goes on once its window resets', async () => {
    seedShop(github);
    const { run, rows, logger } = setup();
    // One point above the reserve of 500: the deployments' statuses, not the pull requests'.
    github.graphql.remaining = 501;

    const first = await run('acme/shop', NOW);

    expect(github.graphql.lowestRemaining).toBe(500);
    expect(github.graphql.refused).toBe(0);
    expect(JSON.parse(first.cursor!).backfilled).toBe(false);
    expect(rows().some(row => row.kind === 'pull_request')).toBe(false);
    expect(
      logger.lines.some(([, message]) =>
        message.startsWith(
          "Paused to keep GitHub's GraphQL rate-limit reserve",
        ),
      ),
    ).toBe(true);

    github.graphql.remaining = 5000;
    github.graphql.resetAt += 3600;
    const second = await run('acme/shop', NOW + 3_700_000);

    expect(JSON.parse(second.cursor!).backfilled).toBe(true);
    expect(rows().find(row => row.kind === 'pull_request')).toMatchObject({
      externalId: '12',
      firstCommitAt: Date.parse(iso(27)),
    });
  });

  it('reaches an Enterprise host: REST under /api/v3, GraphQL at /api/graphql', async () => {
    seedShop(github);
    const { run, rows } = setup(undefined, '/api/v3');

    await run('acme/shop', NOW);

    expect(github.invalid).toEqual([]);
    expect(rows()).toHaveLength(6);
    expect(github.requests.filter(r => r.startsWith('POST'))).toEqual([
      'POST /api/graphql',
      'POST /api/graphql',
    ]);
  });
});
