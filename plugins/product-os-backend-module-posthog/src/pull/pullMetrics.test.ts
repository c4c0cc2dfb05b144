import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
// The pull writes through the real Product OS store, on both engines.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { createProductOsStores } from '@internal/plugin-product-os-backend';
import type {
  AnnotatedEntity,
  ProductOsPull,
} from '@internal/plugin-product-os-node';
import { mockSourceContext } from '@internal/plugin-product-os-node/testUtils';
import type { CapturedEvent } from '../capture/normalizeEvents';
import { ingestCapture } from '../ingestCapture';
import { createPostHogPulls } from './createPostHogPulls';
import {
  FakeEvent,
  FakePostHog,
  startFakePostHog,
} from './__testUtils__/fakePostHog';
import { PostHogApiError } from './PostHogQueryClient';

jest.setTimeout(60_000);

const KEY = 'phx_personalKeyOfTheTests';
const PROJECT = '4242';
const PROJECT_KEY = 'phc_checkoutProjectKey';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The run's clock: 10:20 on a day, so 10:00 is the current (incomplete) hour. */
const NOW = Date.UTC(2026, 10, 20, 10, 20);
const hourAgo = (n: number) => Math.floor(NOW / HOUR) * HOUR - n * HOUR;

const WEB = 'component:default/checkout-web';
const API = 'component:default/checkout-api';
const entity = (entityRef: string, metrics: string): AnnotatedEntity => ({
  entityRef,
  annotations: {
    'posthog.com/project-id': PROJECT,
    'product-os.io/posthog-project-key': PROJECT_KEY,
    'product-os.io/key-metrics': metrics,
  },
});

let n = 0;
/** `count` events of `event` by `users` distinct ids at `at`. */
function events(event: string, at: number, count: number, users = count) {
  return Array.from(
    { length: count },
    (_, i): FakeEvent => ({
      uuid: `0192${String((n += 1)).padStart(
        8,
        '0',
      )}-0000-7000-8000-000000000000`,
      event,
      timestamp: at + i,
      distinct_id: `user-${i % users}`,
      properties: {},
    }),
  );
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'the PostHog metrics pull on %s',
  databaseId => {
    let posthog: FakePostHog;
    let sleeps: number[];

    beforeEach(async () => {
      posthog = await startFakePostHog({
        personalApiKey: KEY,
        projectIds: [PROJECT],
      });
      sleeps = [];
    });
    afterEach(() => posthog.close());

    async function setUp(id: TestDatabaseId, entities: AnnotatedEntity[]) {
      const knex = await databases.init(id);
      const stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      const { context } = mockSourceContext({ store: stores.ingest, entities });
      const source = createPostHogPulls(
        {
          personalApiKey: KEY,
          host: posthog.url,
          backfillDays: 30,
          requestTimeoutMs: 2_000,
          errorTracking: true,
        },
        { sleep: async ms => void sleeps.push(ms) },
      );
      if (!source.configured) throw new Error('not configured');
      const pull = source.pulls.find(p => p.id === 'metrics') as ProductOsPull;
      const run = (now: number, cursor?: string, only = entities) =>
        pull.pull({
          scope: PROJECT,
          entities: only,
          cursor,
          store: context.store,
          logger: mockServices.logger.mock(),
          signal: new AbortController().signal,
          now,
        });
      const hours = async (entityRef: string, metric: string) =>
        (
          await stores.metrics.getMetricPoints(
            entityRef,
            { from: NOW - 40 * DAY, to: NOW + DAY },
            [metric],
          )
        ).map(p => [p.bucketStart, p.count, p.users]);
      return { stores, context, pull, run, hours, knex };
    }

    it('back-fills 30 days of complete hours of each entity’s key metrics, one project one scope', async () => {
      posthog.addEvents(PROJECT, [
        ...events('checkout_completed', hourAgo(2) + 5 * 60_000, 6, 3),
        ...events('checkout_completed', hourAgo(1), 4, 4),
        ...events('checkout_completed', hourAgo(24 * 29), 2, 1),
        // Older than the back-fill, the current hour, and a metric nobody lists: not pulled.
        ...events('checkout_completed', NOW - 31 * DAY, 9),
        ...events('checkout_completed', hourAgo(0) + 60_000, 3),
        ...events('page_viewed', hourAgo(1), 50),
        ...events('signup', hourAgo(1), 2, 2),
      ]);
      const { run, hours, pull } = await setUp(databaseId, [
        entity(WEB, 'checkout_completed, signup'),
        entity(API, 'checkout_completed'),
      ]);
      expect(pull.scopeOf(entity(WEB, 'signup'))).toBe(PROJECT);
      expect(pull.scopeOf(entity(WEB, ''))).toBeUndefined();

      const result = await run(NOW);

      expect(await hours(WEB, 'checkout_completed')).toEqual([
        [hourAgo(24 * 29), 2, 1],
        [hourAgo(2), 6, 3],
        [hourAgo(1), 4, 4],
      ]);
      expect(await hours(API, 'checkout_completed')).toEqual(
        await hours(WEB, 'checkout_completed'),
      );
      expect(await hours(WEB, 'signup')).toEqual([[hourAgo(1), 2, 2]]);
      expect(await hours(API, 'signup')).toEqual([]);
      expect(await hours(WEB, 'page_viewed')).toEqual([]);
      expect(result.items).toBe(7);
      expect(JSON.parse(result.cursor!)).toEqual({
        through: hourAgo(0),
        metrics: ['checkout_completed', 'signup'],
      });
      // One query for the whole project.
      expect(posthog.queries).toHaveLength(1);
      expect(posthog.queries[0].query.values).toEqual({
        metrics: ['checkout_completed', 'signup'],
        from: (hourAgo(0) - 30 * DAY) / 1000,
        to: hourAgo(0) / 1000,
      });
    });

    it('then pulls the hours since, and the last complete hours again for late events; twice gives the same rows', async () => {
      posthog.addEvents(PROJECT, events('checkout_completed', hourAgo(3), 5));
      const { run, hours, knex } = await setUp(databaseId, [
        entity(WEB, 'checkout_completed'),
      ]);
      const first = await run(NOW);

      // Two hours later: a late event of three hours ago, and a new hour.
      const later = NOW + 2 * HOUR;
      posthog.addEvents(PROJECT, [
        ...events('checkout_completed', hourAgo(3) + 30 * 60_000, 1),
        ...events('checkout_completed', hourAgo(0) + 10 * 60_000, 7, 2),
      ]);
      const second = await run(later, first.cursor);
      expect(posthog.queries[1].query.values).toMatchObject({
        from: (hourAgo(0) - 3 * HOUR) / 1000,
        to: (hourAgo(0) + 2 * HOUR) / 1000,
      });
      expect(await hours(WEB, 'checkout_completed')).toEqual([
        [hourAgo(3), 6, 5],
        [hourAgo(0), 7, 2],
      ]);

      const rows = await knex('metric_points').orderBy('bucket_start');
      await run(later, second.cursor);
      expect(await knex('metric_points').orderBy('bucket_start')).toEqual(rows);
    });

    it('back-fills a metric an entity starts listing, without re-reading the others’ history', async () => {
      posthog.addEvents(PROJECT, [
        ...events('checkout_completed', hourAgo(5), 2),
        ...events('signup', hourAgo(24 * 10), 3),
      ]);
      const { run, hours } = await setUp(databaseId, [
        entity(WEB, 'checkout_completed'),
      ]);
      const first = await run(NOW);
      await run(NOW + HOUR, first.cursor, [
        entity(WEB, 'checkout_completed,signup'),
      ]);
      expect(posthog.queries.slice(1).map(q => q.query.values)).toEqual([
        expect.objectContaining({
          metrics: ['checkout_completed'],
          from: (hourAgo(0) - 3 * HOUR) / 1000,
        }),
        expect.objectContaining({
          metrics: ['signup'],
          from: (hourAgo(-1) - 30 * DAY) / 1000,
        }),
      ]);
      expect(await hours(WEB, 'signup')).toEqual([[hourAgo(24 * 10), 3, 3]]);
    });

    it('does not add a pushed and a pulled count of the same hour', async () => {
      const { run, hours, context } = await setUp(databaseId, [
        entity(WEB, 'checkout_completed'),
      ]);
      // The shop sends to both: 4 events pushed through the capture path, which PostHog also got,
      // and 2 more that only reached PostHog.
      const pushed: CapturedEvent[] = [0, 1, 2, 3].map(i => ({
        name: 'checkout_completed',
        distinctId: `user-${i}`,
        personless: false,
        timestamp: hourAgo(1) + i,
        uuid: `0193000${i}-0000-7000-8000-000000000000`,
        properties: {},
      }));
      await ingestCapture(
        context,
        { apiKey: PROJECT_KEY, events: pushed },
        { deliveryId: 'batch-1', receivedAt: NOW },
      );
      expect(await hours(WEB, 'checkout_completed')).toEqual([
        [hourAgo(1), 4, 4],
      ]);
      posthog.addEvents(
        PROJECT,
        events('checkout_completed', hourAgo(1), 6, 6),
      );

      const first = await run(NOW);
      expect(await hours(WEB, 'checkout_completed')).toEqual([
        [hourAgo(1), 6, 6],
      ]);
      await run(NOW + 10 * 60_000, first.cursor);
      expect(await hours(WEB, 'checkout_completed')).toEqual([
        [hourAgo(1), 6, 6],
      ]);
    });

    it('passes metric names as values, never in the query text', async () => {
      const hostile = "checkout') OR 1=1 --";
      posthog.addEvents(PROJECT, [
        ...events(hostile, hourAgo(1), 2),
        ...events('checkout', hourAgo(1), 9),
      ]);
      const { run, hours } = await setUp(databaseId, [entity(WEB, hostile)]);
      await run(NOW);
      const [{ query }] = posthog.queries;
      expect(query.query).not.toContain('checkout');
      expect(query.values?.metrics).toEqual([hostile]);
      expect(await hours(WEB, hostile)).toEqual([[hourAgo(1), 2, 2]]);
      expect(await hours(WEB, 'checkout')).toEqual([]);
    });

    it('waits out a 429 for its Retry-After and 5xx answers with backoff, without sleeping for real', async () => {
      posthog.addEvents(PROJECT, events('signup', hourAgo(1), 2));
      posthog.failures.push(
        { status: 429, retryAfterSeconds: 7 },
        { status: 502 },
        { status: 503 },
      );
      const { run, hours } = await setUp(databaseId, [entity(WEB, 'signup')]);
      await run(NOW);
      expect(sleeps).toEqual([7_000, 2_000, 4_000]);
      expect(posthog.queries).toHaveLength(4);
      expect(await hours(WEB, 'signup')).toEqual([[hourAgo(1), 2, 2]]);
    });

    it('keeps what is stored when PostHog is down, and fails the pull with the reason', async () => {
      posthog.addEvents(PROJECT, events('signup', hourAgo(2), 3));
      const { run, hours } = await setUp(databaseId, [entity(WEB, 'signup')]);
      const first = await run(NOW);
      posthog.failures.push(...Array(5).fill({ status: 503 }));
      await expect(run(NOW + HOUR, first.cursor)).rejects.toThrow(
        /failed after 5 attempts: 503: A server error occurred/,
      );
      expect(await hours(WEB, 'signup')).toEqual([[hourAgo(2), 3, 3]]);
    });
  },
);

describe('the PostHog query client against PostHog’s refusals', () => {
  let posthog: FakePostHog;
  beforeEach(async () => {
    posthog = await startFakePostHog({
      personalApiKey: KEY,
      projectIds: [PROJECT],
    });
  });
  afterEach(() => posthog.close());

  function metricsPull(personalApiKey: string, requestTimeoutMs = 2_000) {
    const sleeps: number[] = [];
    const source = createPostHogPulls(
      {
        personalApiKey,
        host: posthog.url,
        backfillDays: 30,
        requestTimeoutMs,
        errorTracking: false,
      },
      { sleep: async ms => void sleeps.push(ms) },
    );
    if (!source.configured) throw new Error('not configured');
    const { context, store } = mockSourceContext();
    const pull = source.pulls[0];
    return {
      sleeps,
      store,
      run: (scope = PROJECT) =>
        pull.pull({
          scope,
          entities: [entity(WEB, 'signup')],
          store: context.store,
          logger: mockServices.logger.mock(),
          signal: new AbortController().signal,
          now: NOW,
        }),
    };
  }

  it('answers as PostHog does to a request without a key, or with another kind of query', async () => {
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${posthog.url}/api/projects/${PROJECT}/query/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const unauthenticated = await post({
      query: { kind: 'HogQLQuery', query: 'SELECT 1' },
    });
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toEqual({
      type: 'authentication_error',
      code: 'not_authenticated',
      detail: 'Authentication credentials were not provided.',
      attr: null,
    });
    const wrongKind = await post(
      { query: { kind: 'EventsQuery', select: ['*'] } },
      { authorization: `Bearer ${KEY}` },
    );
    expect(wrongKind.status).toBe(400);
    expect(await wrongKind.json()).toMatchObject({
      type: 'validation_error',
      attr: 'query',
    });
  });

  it('fails at once, with PostHog’s reason, on a key PostHog does not know or a project it may not read', async () => {
    const wrongKey = metricsPull('phx_revoked');
    await expect(wrongKey.run()).rejects.toThrow(
      new PostHogApiError(
        401,
        'PostHog answered 401: Personal API key found in request Authorization header is invalid.',
      ),
    );
    const otherProject = metricsPull(KEY);
    await expect(otherProject.run('999')).rejects.toThrow(
      /403: You don't have access/,
    );
    expect(posthog.queries).toHaveLength(2);
    expect([...wrongKey.sleeps, ...otherProject.sleeps]).toEqual([]);
    expect(wrongKey.store.metricPoints).toEqual([]);
  });

  it('gives up on a 429 whose Retry-After is beyond what a run waits for', async () => {
    posthog.failures.push({ status: 429, retryAfterSeconds: 3_000 });
    const { run, sleeps } = metricsPull(KEY);
    await expect(run()).rejects.toThrow(/rate limit: .*retry after 3000 s/);
    expect(sleeps).toEqual([]);
  });

  it('retries a request PostHog does not answer in time', async () => {
    posthog.addEvents(PROJECT, events('signup', hourAgo(1), 1));
    posthog.failures.push({ hang: true });
    const { run, sleeps, store } = metricsPull(KEY, 200);
    await run();
    expect(posthog.queries).toHaveLength(2);
    expect(sleeps).toEqual([1_000]);
    expect(store.metricPoints).toMatchObject([
      {
        entityRef: WEB,
        metric: 'signup',
        count: 1,
        pulled: { count: 1, users: 1 },
      },
    ]);
  });

  it('says how to connect when no personal API key is configured', () => {
    expect(createPostHogPulls(undefined)).toEqual({
      configured: false,
      howToConnect: expect.stringContaining(
        'productOs.sources.posthog.pull.personalApiKey',
      ),
      annotations: ['posthog.com/project-id'],
    });
  });
});
