import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
// The pull is tested over the real Product OS store, on both engines.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { createProductOsStores } from '@internal/plugin-product-os-backend';
import {
  hmacSha256Hex,
  ProductOsSourceStore,
  VendorApiError,
} from '@internal/plugin-product-os-node';
import {
  createIngestHarness,
  MockIngestStore,
} from '@internal/plugin-product-os-node/testUtils';
import type { Knex } from 'knex';
import request from 'supertest';
import errorCreated from '../__fixtures__/error-created.json';
import issueCreated from '../__fixtures__/issue-created.json';
import { readSentryConfig } from '../config';
import { createRouter } from '../router';
import { createSentryPullSource } from './createSentryPull';
import { SentryTestServer, TestIssue } from './__testUtils__/SentryTestServer';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ENTITY = 'component:default/checkout-api';
const WEBHOOK_SECRET = 'a-sentry-client-secret';
/** 2026-11-21T12:20Z: the webhook fixtures' issue began the day before, at 09:14. */
const NOW = Date.UTC(2026, 10, 21, 12, 20);
const TODAY = Date.UTC(2026, 10, 21);
const WEBHOOK_ISSUE = issueCreated.data.issue.id;
const OLD_ISSUE = '5120440007';

function world(server: SentryTestServer) {
  server.now = NOW;
  const checkout: TestIssue = {
    id: WEBHOOK_ISSUE,
    title: issueCreated.data.issue.title,
    culprit: issueCreated.data.issue.culprit,
    level: 'error',
    status: 'unresolved',
    firstSeen: Date.parse(issueCreated.data.issue.firstSeen),
    firstRelease: 'checkout-api@2.14.0',
    hours: new Map([
      [TODAY - DAY + 9 * HOUR, 4],
      // The error webhook's event (09:20) is among these.
      [TODAY + 9 * HOUR, 3],
      [TODAY + 10 * HOUR, 7],
      [TODAY + 12 * HOUR, 1],
    ]),
    latestEventId: errorCreated.data.error.event_id,
  };
  const coupon: TestIssue = {
    id: OLD_ISSUE,
    title: 'RangeError: coupon value out of range',
    culprit: 'applyCoupon(src/cart/coupons.ts)',
    level: 'warning',
    status: 'resolved',
    firstSeen: TODAY - 30 * DAY,
    hours: new Map([
      [TODAY - 9 * DAY + 14 * HOUR, 12],
      [TODAY - 3 * DAY + 8 * HOUR, 5],
    ]),
    latestEventId: 'b6f1d2c3a4e5f60718293a4b5c6d7e8f',
  };
  server.issues = [checkout, coupon];
  server.releases = [
    {
      version: 'checkout-api@2.14.0',
      dateCreated: TODAY + 8 * HOUR,
      commits: [
        {
          id: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
          message: 'Charge cards through the new gateway\n\nDetails.',
          dateCreated: TODAY + 7 * HOUR,
        },
      ],
      deploys: [
        {
          id: '88',
          environment: 'production',
          dateFinished: TODAY + 8 * HOUR + 20 * 60_000,
        },
      ],
    },
    {
      version: 'checkout-api@2.13.0',
      dateCreated: TODAY - 20 * DAY,
      commits: [],
      deploys: [],
    },
  ];
  return { checkout, coupon };
}

/** The pull of the module as the host would run it, against the test server. */
function sentryPull(
  baseUrl: string,
  sleeps: number[] = [],
  timeoutSeconds = 30,
) {
  const source = createSentryPullSource(
    new ConfigReader({
      productOs: {
        sources: {
          sentry: {
            organization: 'acme',
            pull: {
              token: 'sntrys_test_token',
              baseUrl,
              requestTimeoutSeconds: timeoutSeconds,
            },
          },
        },
      },
    }),
    {
      sleep: async ms => {
        sleeps.push(ms);
      },
    },
  );
  if (!source.configured) throw new Error('not configured');
  const [pull] = source.pulls;
  return (store: ProductOsSourceStore, now = NOW, cursor?: string) => {
    const entity = {
      entityRef: ENTITY,
      annotations: { 'sentry.io/project-slug': 'checkout-api' },
    };
    return pull.pull({
      scope: pull.scopeOf(entity)!,
      entities: [entity],
      cursor,
      store,
      logger: mockServices.logger.mock(),
      signal: new AbortController().signal,
      now,
    });
  };
}

const counter = { add() {} };

/** The webhook router and the pull over one store (the real one, or the test kit's). */
function harness<
  S extends
    | MockIngestStore
    | Awaited<ReturnType<typeof createProductOsStores>>['ingest'],
>(store?: S) {
  return createIngestHarness(
    {
      createRouter: context =>
        createRouter({
          config: readSentryConfig(
            new ConfigReader({
              productOs: {
                sources: {
                  sentry: {
                    webhookSecret: WEBHOOK_SECRET,
                    projects: [
                      {
                        id: '4505',
                        publicKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
                        slug: 'checkout-api',
                        organization: 'acme',
                      },
                    ],
                  },
                },
              },
            }),
          ),
          context,
          metrics: { envelopeItems: counter, errorEvents: counter },
        }),
    },
    {
      store,
      entities: [
        {
          entityRef: ENTITY,
          annotations: { 'sentry.io/project-slug': 'checkout-api' },
        },
      ],
    },
  );
}

function deliver(
  app: Parameters<typeof request>[0],
  resource: string,
  payload: unknown,
) {
  const body = JSON.stringify(payload);
  return request(app)
    .post('/webhook')
    .set('Content-Type', 'application/json')
    .set('Sentry-Hook-Resource', resource)
    .set('Sentry-Hook-Signature', hmacSha256Hex(WEBHOOK_SECRET, body))
    .send(body);
}

describe('the Sentry pull against a server answering as Sentry documents', () => {
  let server: SentryTestServer;
  let baseUrl: string;

  beforeEach(async () => {
    server = new SentryTestServer();
    baseUrl = await server.start();
  });

  afterEach(async () => {
    await server.stop();
    // Every answer fitted Sentry's schema and every parameter was one it documents.
    if (server.problems.length > 0)
      throw new Error(
        `Not as Sentry documents:\n${server.problems.join('\n')}`,
      );
  });

  it('says how to connect it while no token is configured', () => {
    expect(createSentryPullSource(new ConfigReader({}))).toEqual({
      configured: false,
      howToConnect: expect.stringContaining(
        'productOs.sources.sentry.pull.token',
      ),
      annotations: ['sentry.io/project-slug'],
    });
  });

  it('waits as long as a 429 asks and retries 5xx answers, then pulls', async () => {
    world(server);
    server.faults.push(
      { path: '/issues/', fault: { status: 429, retryAfter: 7 } },
      { path: '/events-timeseries/', fault: { status: 503 } },
    );
    const sleeps: number[] = [];
    const { context, store } = await harness(new MockIngestStore());
    await sentryPull(baseUrl, sleeps)(context.store);
    expect(sleeps).toEqual([7000, 1000]);
    expect(store.errorGroups.map(g => g.fingerprint)).toEqual([
      `sentry-issue:${OLD_ISSUE}`,
      `sentry-issue:${WEBHOOK_ISSUE}`,
    ]);
  });

  it('gives up on a request that never answers after its deadline and its retries', async () => {
    world(server);
    for (let i = 0; i < 5; i++)
      server.faults.push({ path: '/issues/', fault: { hang: true } });
    const sleeps: number[] = [];
    const { context, store } = await harness(new MockIngestStore());
    await expect(
      sentryPull(baseUrl, sleeps, 0.05)(context.store),
    ).rejects.toThrow(VendorApiError);
    expect(sleeps).toEqual([1000, 2000, 4000, 8000]);
    expect(store.errorGroups).toEqual([]);
  });

  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });

    async function realHarness() {
      const stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      for (const table of [
        'error_buckets',
        'error_days',
        'error_events',
        'error_users',
        'error_event_ids',
        'error_groups',
        'change_events',
        'deliveries',
      ])
        await knex(table).delete();
      return harness(stores.ingest);
    }

    const groups = () =>
      knex('error_groups')
        .orderBy('fingerprint')
        .select(
          'id',
          'fingerprint',
          'status',
          'first_release',
          'event_count',
          'title',
          'level',
        );
    const hoursOf = async (issueId: string) =>
      (
        await knex('error_buckets')
          .join('error_groups', 'error_groups.id', 'error_buckets.group_id')
          .where('error_groups.fingerprint', `sentry-issue:${issueId}`)
          .orderBy('bucket_start')
          .select('bucket_start', 'count')
      ).map(row => [
        new Date(Number(row.bucket_start)).toISOString(),
        Number(row.count),
      ]);
    const tables = async () => ({
      groups: await knex('error_groups').orderBy('id'),
      buckets: await knex('error_buckets').orderBy([
        'group_id',
        'bucket_start',
      ]),
      samples: await knex('error_events').orderBy('id'),
      changes: await knex('change_events').orderBy('id'),
    });

    it('back-fills 14 days: issues as error groups, their hourly counts, the busiest ones’ latest events and the releases', async () => {
      world(server);
      const { context, signals } = await realHarness();
      const result = await sentryPull(baseUrl)(context.store);

      expect(await groups()).toEqual([
        expect.objectContaining({
          fingerprint: `sentry-issue:${OLD_ISSUE}`,
          status: 'resolved',
          level: 'warning',
        }),
        expect.objectContaining({
          fingerprint: `sentry-issue:${WEBHOOK_ISSUE}`,
          status: 'unresolved',
          first_release: 'checkout-api@2.14.0',
          title: issueCreated.data.issue.title,
        }),
      ]);
      expect((await groups()).map(g => Number(g.event_count))).toEqual([
        17, 15,
      ]);
      expect(await hoursOf(WEBHOOK_ISSUE)).toEqual([
        ['2026-11-20T09:00:00.000Z', 4],
        ['2026-11-21T09:00:00.000Z', 3],
        ['2026-11-21T10:00:00.000Z', 7],
        ['2026-11-21T12:00:00.000Z', 1],
      ]);
      // Days ago, beyond the issue list's 24 hourly stats: from the hourly series.
      expect(await hoursOf(OLD_ISSUE)).toEqual([
        [new Date(TODAY - 30 * DAY).toISOString(), 1],
        ['2026-11-12T14:00:00.000Z', 12],
        ['2026-11-18T08:00:00.000Z', 5],
      ]);
      expect(server.requestsTo('/events-timeseries/')).toHaveLength(1);
      const [issues] = server
        .requestsTo('/issues/')
        .filter(r => r.path.endsWith('/organizations/acme/issues/'));
      expect(issues.query.get('start')).toBe('2026-11-07T12:00:00.000Z');
      expect(issues.query.get('query')).toBe('');

      const sample = await knex('error_events')
        .where({ event_id: errorCreated.data.error.event_id })
        .first();
      expect(sample).toBeDefined();
      const checkoutGroup = await knex('error_groups')
        .where({ fingerprint: `sentry-issue:${WEBHOOK_ISSUE}` })
        .first();
      expect(JSON.parse(checkoutGroup.top_frames)[0]).toEqual(
        expect.objectContaining({
          filename: 'src/cart/total.ts',
          function: 'computeTotal',
          lineno: 42,
          inApp: true,
        }),
      );

      const changes = await knex('change_events')
        .orderBy('kind')
        .select('kind', 'external_id', 'title', 'environment');
      expect(changes).toEqual([
        {
          kind: 'commit',
          external_id: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
          title: 'Charge cards through the new gateway',
          environment: null,
        },
        {
          kind: 'deployment',
          external_id: '88',
          title: 'checkout-api@2.14.0 to production',
          environment: 'production',
        },
        {
          kind: 'release',
          external_id: 'checkout-api@2.14.0',
          title: 'checkout-api@2.14.0',
          environment: null,
        },
      ]);
      expect(JSON.parse(result.cursor!)).toEqual({
        since: NOW,
        releasesSince: TODAY + 8 * HOUR + 1,
        // The busiest first: 17 events in the window, then 15.
        sampled: [OLD_ISSUE, WEBHOOK_ISSUE],
      });
      expect(signals).toContainEqual([ENTITY, 'new_error_group']);
    });

    it('pulls incrementally from its cursor: the issue list’s hourly stats, new issues and hours only', async () => {
      const { checkout } = world(server);
      const { context } = await realHarness();
      const first = await sentryPull(baseUrl)(context.store);
      const before = server.requests.length;

      const later = NOW + 15 * 60_000;
      server.now = later;
      checkout.hours.set(TODAY + 12 * HOUR, 9);
      server.issues.push({
        id: '5120449000',
        title: 'Error: gateway timeout',
        culprit: 'charge(src/payments/gateway.ts)',
        level: 'error',
        status: 'unresolved',
        firstSeen: TODAY + 12 * HOUR + 25 * 60_000,
        firstRelease: 'checkout-api@2.14.0',
        hours: new Map([[TODAY + 12 * HOUR, 3]]),
        latestEventId: 'c0ffee00c0ffee00c0ffee00c0ffee00',
      });
      const second = await sentryPull(baseUrl)(
        context.store,
        later,
        first.cursor,
      );

      const requests = server.requests.slice(before);
      expect(
        requests.filter(r => r.path.includes('/events-timeseries/')),
      ).toEqual([]);
      const issueList = requests.find(r =>
        r.path.endsWith('/organizations/acme/issues/'),
      )!;
      expect(issueList.query.get('start')).toBe('2026-11-21T11:00:00.000Z');
      // Only the new issue's first release is looked up; the release seen before is not listed again.
      expect(
        requests.filter(r => /issues\/\d+\/$/.test(r.path)).map(r => r.path),
      ).toEqual(['/api/0/organizations/acme/issues/5120449000/']);
      expect(requests.filter(r => r.path.includes('/commits/'))).toEqual([]);
      // The issue sampled by the first pull keeps its sample; only the new one is sampled.
      expect(
        requests
          .filter(r => r.path.endsWith('/events/latest/'))
          .map(r => r.path),
      ).toEqual(['/api/0/organizations/acme/issues/5120449000/events/latest/']);
      expect(JSON.parse(second.cursor!).sampled).toEqual([
        '5120449000',
        ...JSON.parse(first.cursor!).sampled,
      ]);
      expect(await hoursOf(WEBHOOK_ISSUE)).toEqual([
        ['2026-11-20T09:00:00.000Z', 4],
        ['2026-11-21T09:00:00.000Z', 3],
        ['2026-11-21T10:00:00.000Z', 7],
        ['2026-11-21T12:00:00.000Z', 9],
      ]);
      expect(await hoursOf('5120449000')).toEqual([
        ['2026-11-21T12:00:00.000Z', 3],
      ]);
      expect(JSON.parse(second.cursor!).since).toBe(later);
    });

    it('reads a release’s one commit and one deploy from the release, and lists them when it has more', async () => {
      world(server);
      const { context } = await realHarness();
      await sentryPull(baseUrl)(context.store);
      // 2.14.0 has one of each: the release list carries them.
      expect(server.requestsTo('/commits/')).toEqual([]);
      expect(server.requestsTo('/deploys/')).toEqual([]);

      server.releases.unshift({
        version: 'checkout-api@2.15.0',
        dateCreated: TODAY + 11 * HOUR,
        commits: [
          {
            id: 'b1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
            message: 'Retry the gateway once',
            dateCreated: TODAY + 10 * HOUR,
          },
          {
            id: 'c1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
            message: 'Log the gateway’s answer',
            dateCreated: TODAY + 10 * HOUR + 5 * 60_000,
          },
        ],
        deploys: [
          {
            id: '90',
            environment: 'staging',
            dateFinished: TODAY + 11 * HOUR + 10 * 60_000,
          },
          {
            id: '91',
            environment: 'production',
            dateFinished: TODAY + 11 * HOUR + 30 * 60_000,
          },
        ],
      });
      await sentryPull(baseUrl)(context.store);
      expect(server.requestsTo('/commits/').map(r => r.path)).toEqual([
        '/api/0/projects/acme/checkout-api/releases/checkout-api%402.15.0/commits/',
      ]);
      expect(server.requestsTo('/deploys/').map(r => r.path)).toEqual([
        '/api/0/organizations/acme/releases/checkout-api%402.15.0/deploys/',
      ]);
      expect(
        await knex('change_events')
          .whereIn('kind', ['commit', 'deployment'])
          .orderBy('external_id')
          .pluck('external_id'),
      ).toEqual([
        '88',
        '90',
        '91',
        'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
        'b1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
        'c1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2',
      ]);
      expect(server.problems).toEqual([]);
    });

    it('gives the same rows when a pull runs twice', async () => {
      world(server);
      const { context } = await realHarness();
      await sentryPull(baseUrl)(context.store);
      const once = await tables();
      await sentryPull(baseUrl)(context.store);
      expect(await tables()).toEqual(once);
    });

    it('keeps one group for an issue delivered by webhook and pulled, and does not add pushed and pulled counts', async () => {
      world(server);
      const { app, context } = await realHarness();
      expect((await deliver(app, 'issue', issueCreated)).status).toBe(200);
      expect((await deliver(app, 'error', errorCreated)).status).toBe(200);
      // Pushed: the issue's first event (the 20th, 09:14) and the error event (the 21st, 09:20).
      expect(await hoursOf(WEBHOOK_ISSUE)).toEqual([
        ['2026-11-20T09:00:00.000Z', 1],
        ['2026-11-21T09:00:00.000Z', 1],
      ]);

      await sentryPull(baseUrl)(context.store);
      const rows = await knex('error_groups').where({
        entity_ref: ENTITY,
        fingerprint: `sentry-issue:${WEBHOOK_ISSUE}`,
      });
      expect(rows).toHaveLength(1);
      // Sentry counted 4 and 3 in those hours, the pushed events among them: not 5 and 4.
      expect(await hoursOf(WEBHOOK_ISSUE)).toEqual([
        ['2026-11-20T09:00:00.000Z', 4],
        ['2026-11-21T09:00:00.000Z', 3],
        ['2026-11-21T10:00:00.000Z', 7],
        ['2026-11-21T12:00:00.000Z', 1],
      ]);
      // The pulled latest event is the one the error webhook delivered: one sample.
      expect(
        await knex('error_events').where({
          event_id: errorCreated.data.error.event_id,
        }),
      ).toHaveLength(1);

      // An event of that hour delivered after the pull, one Sentry had counted: still 3.
      const late = structuredClone(errorCreated);
      late.data.error.event_id = '7d3c1e8f9a2b4c5d8e6f0a1b2c3d4e60';
      expect((await deliver(app, 'error', late)).status).toBe(200);
      expect((await hoursOf(WEBHOOK_ISSUE))[1]).toEqual([
        '2026-11-21T09:00:00.000Z',
        3,
      ]);
    });

    it('keeps everything stored when Sentry is down, and leaves the cursor to the host', async () => {
      world(server);
      const { context } = await realHarness();
      await sentryPull(baseUrl)(context.store);
      const stored = await tables();
      for (let i = 0; i < 5; i++)
        server.faults.push({ path: '', fault: { status: 503 } });
      await expect(
        sentryPull(baseUrl)(context.store, NOW + HOUR),
      ).rejects.toThrow('answered 503');
      expect(await tables()).toEqual(stored);
    });
  });
});
