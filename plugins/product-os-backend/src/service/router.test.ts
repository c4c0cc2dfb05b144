import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Diagnosis,
  EntityHealth,
  GITHUB_PROJECT_SLUG_ANNOTATION,
  PAGERDUTY_SERVICE_ID_ANNOTATION,
  SENTRY_PROJECT_SLUG_ANNOTATION,
} from '@internal/plugin-product-os-common';
import type { ErrorEventInput } from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import request from 'supertest';
import {
  createProductOsStores,
  ProductOsStores,
} from '../database/createProductOsStores';
import {
  seedAnomaly,
  seedAuditEntry,
} from '../database/__testUtils__/storeFixtures';
import { catalogHiding } from '../__testUtils__/catalogHiding';
import { startProductOsBackend } from '../__testUtils__/productOsBackend';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
// Saturday 21 November 2026, 08:30 UTC. The 24h window is [Nov 20 09:00, Nov 21 09:00), the 7d
// window [Nov 14 09:00, Nov 21 09:00), both in hourly buckets ending with the hour still filling.
const NOW = Date.parse('2026-11-21T08:30:00.000Z');
const at = (iso: string) => Date.parse(iso);

const CHECKOUT_API = 'component:default/checkout-api';
const CHECKOUT_WEB = 'component:default/checkout-web';
const SEARCH = 'component:default/search';
const LEDGER = 'component:default/secret-ledger';
const OUTSIDER = 'user:default/outsider';
const ADMIN = 'user:default/admin';

function group(
  name: string,
  spec: { children?: string[] } = {},
  parentOf: string[] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: spec.children ?? [] },
    relations: parentOf.map(targetRef => ({ type: 'parentOf', targetRef })),
  };
}

function component(
  name: string,
  spec: { owner: string; system?: string; lifecycle: string },
  annotations: Record<string, string>,
  title?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations,
      ...(title && { title }),
    },
    spec: { type: 'service', ...spec },
  };
}

const entities: Entity[] = [
  // commerce has payments below it through spec.children and web through a parentOf relation.
  group('commerce', { children: ['payments'] }, ['group:default/web']),
  group('payments'),
  group('web'),
  group('discovery'),
  group('finance'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: 'checkout',
      namespace: 'default',
      annotations: { [GITHUB_PROJECT_SLUG_ANNOTATION]: 'acme/checkout' },
    },
    spec: { owner: 'group:default/commerce' },
  },
  component(
    'checkout-api',
    { owner: 'payments', system: 'checkout', lifecycle: 'production' },
    { [SENTRY_PROJECT_SLUG_ANNOTATION]: 'acme/checkout-api' },
    'Checkout API',
  ),
  component(
    'checkout-web',
    {
      owner: 'group:default/web',
      system: 'system:default/checkout',
      lifecycle: 'production',
    },
    { [PAGERDUTY_SERVICE_ID_ANNOTATION]: 'PWEB001' },
  ),
  component(
    'search',
    { owner: 'group:default/discovery', lifecycle: 'experimental' },
    { [GITHUB_PROJECT_SLUG_ANNOTATION]: 'acme/search' },
  ),
  component(
    'secret-ledger',
    { owner: 'group:default/finance', lifecycle: 'production' },
    { [SENTRY_PROJECT_SLUG_ANNOTATION]: 'acme/ledger' },
  ),
  // Not tracked by Product OS: no annotation it reads.
  component(
    'docs-site',
    { owner: 'group:default/web', lifecycle: 'production' },
    {
      'backstage.io/techdocs-ref': 'dir:.',
    },
  ),
];

/**
 * The in-memory catalog, answering as the caller: the outsider cannot see the secret ledger, as
 * a catalog permission policy would hide it.
 */
const catalog = catalogHiding(
  entities,
  (entityRef, user) => user === OUTSIDER && entityRef === LEDGER,
);

/** Everyone may read; only the admin may read the admin views. */
const adminOnly = (permission: string, user: string | undefined) =>
  permission === 'product-os.admin.read' && user !== ADMIN;

function sentryEvent(
  entityRef: string,
  fingerprint: string,
  title: string,
  time: string,
  n: number,
): ErrorEventInput {
  return {
    entityRef,
    source: 'sentry',
    fingerprint,
    eventId: `${fingerprint}-${n}`,
    title,
    level: 'error',
    timestamp: at(time),
    release: 'checkout-api@2.4.0',
    topFrames: [
      {
        filename: 'src/cart/total.ts',
        function: 'sumTotal',
        lineno: 42,
        inApp: true,
      },
    ],
    userKey: `user-${n % 3}`,
  };
}

/** The story of checkout-api, its neighbours, and the admin's records, written through the store. */
async function seed(stores: ProductOsStores) {
  const total = (time: string, n: number) =>
    sentryEvent(
      CHECKOUT_API,
      'fp-total',
      "TypeError: Cannot read properties of undefined (reading 'total')",
      time,
      n,
    );
  const declined = (time: string, n: number) =>
    sentryEvent(
      CHECKOUT_API,
      'fp-declined',
      'PaymentDeclinedError: card_declined',
      time,
      n,
    );

  // Delivered in three batches, as an SDK would send them.
  await stores.ingest.ingest({ source: 'sentry' }, w =>
    w.recordErrorEvents([
      total('2026-11-10T12:00:00Z', 1),
      total('2026-11-10T12:10:00Z', 2),
      total('2026-11-19T20:00:00Z', 3),
    ]),
  );
  await stores.ingest.ingest({ source: 'sentry' }, w =>
    w.recordErrorEvents([
      total('2026-11-20T10:15:00Z', 4),
      total('2026-11-20T10:45:00Z', 5),
      total('2026-11-20T11:05:00Z', 6),
    ]),
  );
  await stores.ingest.ingest({ source: 'sentry' }, w =>
    w.recordErrorEvents([
      total('2026-11-21T08:10:00Z', 7),
      declined('2026-11-21T07:20:00Z', 8),
      declined('2026-11-21T07:40:00Z', 9),
      // A resend of an event already stored is not counted again.
      total('2026-11-21T08:10:00Z', 7),
    ]),
  );
  await stores.ingest.ingest({ source: 'sentry' }, w =>
    w.recordErrorEvents([
      sentryEvent(
        SEARCH,
        'fp-search',
        'TimeoutError',
        '2026-11-08T10:00:00Z',
        21,
      ),
      sentryEvent(
        SEARCH,
        'fp-search',
        'TimeoutError',
        '2026-11-09T10:00:00Z',
        22,
      ),
      sentryEvent(
        SEARCH,
        'fp-search',
        'TimeoutError',
        '2026-11-10T10:00:00Z',
        23,
      ),
      sentryEvent(
        SEARCH,
        'fp-search',
        'TimeoutError',
        '2026-11-16T10:00:00Z',
        24,
      ),
      sentryEvent(
        SEARCH,
        'fp-search',
        'TimeoutError',
        '2026-11-17T10:00:00Z',
        25,
      ),
      sentryEvent(
        SEARCH,
        'fp-search',
        'TimeoutError',
        '2026-11-18T10:00:00Z',
        26,
      ),
    ]),
  );

  await stores.ingest.ingest({ source: 'github', deliveryId: 'gh-1' }, w =>
    w.upsertChangeEvents([
      {
        entityRef: CHECKOUT_API,
        source: 'github',
        kind: 'deployment',
        externalId: 'deploy-090',
        title: 'Deploy 090 to production',
        environment: 'production',
        status: 'success',
        occurredAt: at('2026-11-01T12:00:00Z'),
      },
      {
        entityRef: CHECKOUT_API,
        source: 'github',
        kind: 'deployment',
        externalId: 'deploy-100',
        title: 'Deploy 100 to production',
        environment: 'production',
        status: 'success',
        occurredAt: at('2026-11-18T15:00:00Z'),
      },
      {
        entityRef: CHECKOUT_API,
        source: 'github',
        kind: 'commit',
        externalId: 'abc1234',
        title: 'Sum totals from line items',
        sha: 'abc1234',
        author: 'dana',
        occurredAt: at('2026-11-21T05:55:00Z'),
        files: ['src/cart/total.ts'],
      },
      {
        entityRef: CHECKOUT_API,
        source: 'github',
        kind: 'pull_request',
        externalId: '512',
        number: 512,
        title: 'Compute totals from line items',
        status: 'merged',
        author: 'dana',
        url: 'https://github.com/acme/checkout-api/pull/512',
        occurredAt: at('2026-11-21T06:00:00Z'),
        files: ['src/cart/total.ts'],
      },
      {
        entityRef: CHECKOUT_API,
        source: 'github',
        kind: 'release',
        externalId: 'v2.4.0',
        title: 'v2.4.0',
        occurredAt: at('2026-11-21T06:30:00Z'),
      },
      {
        entityRef: CHECKOUT_API,
        source: 'github',
        kind: 'deployment',
        externalId: 'deploy-101',
        title: 'Deploy 101 to production',
        sha: 'abc1234',
        environment: 'production',
        status: 'success',
        occurredAt: at('2026-11-21T07:00:00Z'),
        finishedAt: at('2026-11-21T07:04:00Z'),
      },
    ]),
  );

  await stores.ingest.ingest({ source: 'pagerduty' }, async w => {
    await w.upsertIncident(
      {
        entityRef: CHECKOUT_API,
        source: 'pagerduty',
        externalId: 'Q1',
        title: 'Checkout returns 500',
        urgency: 'high',
        status: 'triggered',
        createdAt: at('2026-11-21T07:30:00Z'),
        assignees: ['alice'],
      },
      [
        {
          externalId: 'L1',
          type: 'trigger',
          message: 'Triggered by Sentry alert',
          occurredAt: at('2026-11-21T07:30:00Z'),
        },
        {
          externalId: 'L2',
          type: 'annotate',
          message: 'Looking into it',
          actor: 'alice',
          occurredAt: at('2026-11-21T07:35:00Z'),
        },
      ],
    );
    await w.upsertIncident(
      {
        entityRef: CHECKOUT_API,
        source: 'pagerduty',
        externalId: 'Q2',
        title: 'Payment latency',
        status: 'resolved',
        createdAt: at('2026-11-19T10:00:00Z'),
        resolvedAt: at('2026-11-19T11:00:00Z'),
      },
      [
        {
          externalId: 'L3',
          type: 'trigger',
          message: 'Latency above 2s',
          occurredAt: at('2026-11-19T10:00:00Z'),
        },
        {
          externalId: 'L4',
          type: 'resolve',
          message: 'Resolved',
          actor: 'bob',
          occurredAt: at('2026-11-19T11:00:00Z'),
        },
      ],
    );
    await w.upsertIncident({
      entityRef: CHECKOUT_API,
      source: 'pagerduty',
      externalId: 'Q3',
      title: 'October outage',
      status: 'resolved',
      createdAt: at('2026-10-01T10:00:00Z'),
      resolvedAt: at('2026-10-01T12:00:00Z'),
    });
    // Open since before the window: it still belongs to it.
    await w.upsertIncident({
      entityRef: CHECKOUT_API,
      source: 'pagerduty',
      externalId: 'Q4',
      title: 'Flaky card tokenization',
      status: 'acknowledged',
      createdAt: at('2026-11-05T09:00:00Z'),
      acknowledgedAt: at('2026-11-05T09:10:00Z'),
    });
    await w.upsertIncident({
      entityRef: CHECKOUT_WEB,
      source: 'pagerduty',
      externalId: 'W1',
      title: 'Web checkout errors',
      status: 'acknowledged',
      createdAt: at('2026-11-20T22:00:00Z'),
    });
  });

  await stores.ingest.ingest({ source: 'posthog' }, w =>
    w.recordMetricPoints([
      {
        entityRef: CHECKOUT_API,
        metric: 'checkout_completed',
        bucketStart: at('2026-11-20T07:00:00Z'),
        count: 50,
        userKeys: ['u5'],
      },
      {
        entityRef: CHECKOUT_API,
        metric: 'checkout_completed',
        bucketStart: at('2026-11-21T06:00:00Z'),
        count: 30,
        userKeys: ['u1', 'u4'],
      },
      {
        entityRef: CHECKOUT_API,
        metric: 'checkout_completed',
        bucketStart: at('2026-11-21T07:00:00Z'),
        count: 40,
        userKeys: ['u1', 'u2', 'u3'],
      },
      {
        entityRef: CHECKOUT_API,
        metric: 'signup',
        bucketStart: at('2026-11-21T08:00:00Z'),
        count: 5,
        userKeys: ['u9'],
      },
    ]),
  );

  await seedAnomaly(stores.anomalies, {
    entityRef: CHECKOUT_API,
    kinds: ['error_spike', 'new_error_group'],
    onsetAt: at('2026-11-21T07:20:00Z'),
    detectedAt: at('2026-11-21T07:45:00Z'),
    magnitude: 6,
    score: 0.9,
  });

  const [deploy101] = await stores.changes.getChangeEvents(CHECKOUT_API, {
    from: 0,
    to: NOW + HOUR,
    kinds: ['deployment'],
    limit: 1,
  });
  const diagnosis = (
    entityRef: string,
    summary: string,
    time: string,
    actionability: Diagnosis['actionability'],
  ) =>
    stores.diagnoses.createDiagnosis({
      entityRef,
      summary,
      confidence: 0.7,
      actionability,
      reviewers: [],
      createdAt: at(time),
      suspects: [],
      evidence: [],
    });
  const d3 = await diagnosis(
    CHECKOUT_API,
    'Latency from a slow card provider',
    '2026-11-19T09:00:00Z',
    'collecting',
  );
  await stores.diagnoses.transitionDiagnosis(d3.id, {
    to: 'resolved',
    from: ['open'],
    by: 'user:default/bob',
    at: at('2026-11-19T12:00:00Z'),
  });
  await diagnosis(
    CHECKOUT_API,
    'Errors without a matching change',
    '2026-11-20T12:00:00Z',
    'needs_human',
  );
  await diagnosis(
    SEARCH,
    'Timeouts after an index rebuild',
    '2026-11-10T10:00:00Z',
    'needs_human',
  ).then(d =>
    stores.diagnoses.transitionDiagnosis(d.id, {
      to: 'rejected',
      from: ['open'],
      by: 'user:default/carol',
      at: at('2026-11-11T10:00:00Z'),
    }),
  );
  await diagnosis(
    CHECKOUT_WEB,
    'Web errors after a CDN change',
    '2026-11-21T06:00:00Z',
    'needs_human',
  );
  await diagnosis(
    LEDGER,
    'Ledger drift',
    '2026-11-21T07:00:00Z',
    'needs_human',
  );
  await stores.diagnoses.createDiagnosis({
    entityRef: CHECKOUT_API,
    summary: 'Deploy 101 broke cart totals',
    confidence: 0.82,
    actionability: 'actionable',
    reviewers: ['group:default/payments'],
    createdAt: at('2026-11-21T08:00:00Z'),
    suspects: [
      {
        changeEventId: deploy101.id,
        score: 0.9,
        confidence: 0.82,
        evidence: [
          {
            kind: 'file_match',
            description: 'src/cart/total.ts is in the stack',
            weight: 0.6,
          },
        ],
      },
    ],
    evidence: [
      {
        kind: 'timing',
        description: 'Errors began 20 minutes after the deploy',
        weight: 0.3,
      },
    ],
  });

  await stores.ingest.recordUnmapped(
    'sentry',
    '4505',
    at('2026-11-21T06:00:00Z'),
  );
  await stores.ingest.recordUnmapped(
    'sentry',
    '4505',
    at('2026-11-21T07:00:00Z'),
  );
  await stores.ingest.recordUnmapped(
    'pagerduty',
    'PZZZ999',
    at('2026-11-21T05:00:00Z'),
  );
  await seedAuditEntry(stores.audit, {
    at: at('2026-11-21T08:05:00Z'),
    actor: 'user:default/dana',
    action: 'github-issue',
    target: 'acme/checkout-api',
    request: { diagnosisId: 6 },
    outcome: 'succeeded',
    result: { url: 'https://github.com/acme/checkout-api/issues/77' },
  });
  await seedAuditEntry(stores.audit, {
    at: at('2026-11-21T08:20:00Z'),
    actor: 'user:default/dana',
    action: 'pr-comment',
    target: 'acme/checkout-api#512',
    request: { diagnosisId: 6 },
    outcome: 'failed',
  });
}

/** 24 hourly zeros with the given values placed at their indexes. */
function hourly(values: Record<number, number>): number[] {
  return Array.from({ length: 24 }, (_, i) => values[i] ?? 0);
}

describe('product-os read API', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let server: any;
    let dateNow: jest.SpyInstance;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      dateNow = jest.spyOn(Date, 'now').mockReturnValue(NOW);
      await seed(stores);
      ({ server } = await startProductOsBackend({
        database: knex,
        catalog,
        denies: adminOnly,
      }));
    });

    afterAll(() => {
      dateNow.mockRestore();
    });

    const api = (path: string) => request(server).get(`/api/product-os${path}`);
    const entity = (ref: string, resource: string) => {
      const [kind, rest] = ref.split(':');
      return api(`/entities/${kind}/${rest}/${resource}`);
    };

    describe('GET /entities/:kind/:namespace/:name/overview', () => {
      it('sums the 7d window against the 7 days before it', async () => {
        const res = await entity(CHECKOUT_API, 'overview');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          entityRef: CHECKOUT_API,
          window: {
            from: '2026-11-14T09:00:00.000Z',
            to: '2026-11-21T09:00:00.000Z',
          },
          errors: { events: 7, previousEvents: 2, groups: 2, newGroups: 1 },
          // Q1 triggered and Q4 acknowledged (open since Nov 5) are open; Q2 was resolved in the window.
          incidents: { open: 2, total: 3 },
          deploys: 2,
          diagnoses: { open: 2 },
          latestDiagnosis: expect.objectContaining({
            summary: 'Deploy 101 broke cart totals',
            status: 'open',
            actionability: 'actionable',
            createdAt: '2026-11-21T08:00:00.000Z',
          }),
        });
        expect(res.body.latestDiagnosis.suspects).toHaveLength(1);
        expect(res.body.latestDiagnosis.suspects[0].change.externalId).toBe(
          'deploy-101',
        );
      });

      it('narrows to the last 24 hours', async () => {
        const res = await entity(CHECKOUT_API, 'overview?window=24h');
        expect(res.status).toBe(200);
        expect(res.body.window).toEqual({
          from: '2026-11-20T09:00:00.000Z',
          to: '2026-11-21T09:00:00.000Z',
        });
        expect(res.body.errors).toEqual({
          events: 6,
          previousEvents: 1,
          groups: 2,
          newGroups: 1,
        });
        expect(res.body.incidents).toEqual({ open: 2, total: 2 });
        expect(res.body.deploys).toBe(1);
      });

      it('is all zeros for a tracked entity without data', async () => {
        const res = await api('/entities/system/default/checkout/overview');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          entityRef: 'system:default/checkout',
          window: {
            from: '2026-11-14T09:00:00.000Z',
            to: '2026-11-21T09:00:00.000Z',
          },
          errors: { events: 0, previousEvents: 0, groups: 0, newGroups: 0 },
          incidents: { open: 0, total: 0 },
          deploys: 0,
          diagnoses: { open: 0 },
        });
      });
    });

    describe('GET .../errors', () => {
      it('lists the groups seen in the window, busiest first, with a 24-slice sparkline', async () => {
        const res = await entity(CHECKOUT_API, 'errors?window=24h');
        expect(res.status).toBe(200);
        expect(res.body.items).toEqual([
          expect.objectContaining({
            entityRef: CHECKOUT_API,
            source: 'sentry',
            fingerprint: 'fp-total',
            title:
              "TypeError: Cannot read properties of undefined (reading 'total')",
            status: 'unresolved',
            firstSeen: '2026-11-10T12:00:00.000Z',
            lastSeen: '2026-11-21T08:10:00.000Z',
            firstRelease: 'checkout-api@2.4.0',
            topFrames: [
              {
                filename: 'src/cart/total.ts',
                function: 'sumTotal',
                lineno: 42,
                inApp: true,
              },
            ],
            count: 4,
            isNew: false,
            isRegressed: false,
            // One slice per hour from Nov 20 09:00: 10:15 and 10:45, 11:05, Nov 21 08:10.
            sparkline: hourly({ 1: 2, 2: 1, 23: 1 }),
          }),
          expect.objectContaining({
            fingerprint: 'fp-declined',
            count: 2,
            isNew: true,
            firstSeen: '2026-11-21T07:20:00.000Z',
            sparkline: hourly({ 22: 2 }),
          }),
        ]);
      });

      it('counts the 7d window and limits the list', async () => {
        const week = await entity(CHECKOUT_API, 'errors');
        expect(
          week.body.items.map((g: any) => [g.fingerprint, g.count]),
        ).toEqual([
          ['fp-total', 5],
          ['fp-declined', 2],
        ]);
        // Seven-hour slices from Nov 14 09:00: Nov 19 20:00 is slice 18, Nov 20 10-11:00 slice 20.
        expect(week.body.items[0].sparkline).toEqual(
          hourly({ 18: 1, 20: 3, 23: 1 }),
        );

        const limited = await entity(CHECKOUT_API, 'errors?limit=1');
        expect(limited.body.items.map((g: any) => g.fingerprint)).toEqual([
          'fp-total',
        ]);
      });
    });

    describe('GET .../errors/trend', () => {
      it('gives hourly points for 24h, zero-filled, with the deploys to mark', async () => {
        const res = await entity(CHECKOUT_API, 'errors/trend?window=24h');
        expect(res.status).toBe(200);
        expect(res.body.window).toEqual({
          from: '2026-11-20T09:00:00.000Z',
          to: '2026-11-21T09:00:00.000Z',
        });
        expect(res.body.bucket).toBe('hour');
        expect(res.body.points).toHaveLength(24);
        expect(res.body.points[0]).toEqual({
          time: '2026-11-20T09:00:00.000Z',
          value: 0,
        });
        expect(res.body.points[23]).toEqual({
          time: '2026-11-21T08:00:00.000Z',
          value: 1,
        });
        expect(res.body.points.map((p: any) => p.value)).toEqual(
          hourly({ 1: 2, 2: 1, 22: 2, 23: 1 }),
        );
        expect(res.body.deploys.map((d: any) => d.externalId)).toEqual([
          'deploy-101',
        ]);
        expect(res.body.deploys[0]).toMatchObject({
          kind: 'deployment',
          environment: 'production',
          occurredAt: '2026-11-21T07:00:00.000Z',
          finishedAt: '2026-11-21T07:04:00.000Z',
        });
      });

      it('gives daily points when asked, aligned to midnight UTC', async () => {
        const res = await entity(
          CHECKOUT_API,
          'errors/trend?window=7d&bucket=day',
        );
        expect(res.status).toBe(200);
        expect(res.body.bucket).toBe('day');
        expect(res.body.points).toEqual([
          { time: '2026-11-15T00:00:00.000Z', value: 0 },
          { time: '2026-11-16T00:00:00.000Z', value: 0 },
          { time: '2026-11-17T00:00:00.000Z', value: 0 },
          { time: '2026-11-18T00:00:00.000Z', value: 0 },
          { time: '2026-11-19T00:00:00.000Z', value: 1 },
          { time: '2026-11-20T00:00:00.000Z', value: 3 },
          { time: '2026-11-21T00:00:00.000Z', value: 3 },
        ]);
        expect(res.body.deploys.map((d: any) => d.externalId)).toEqual([
          'deploy-101',
          'deploy-100',
        ]);
      });

      it('uses daily buckets for 30 days by default', async () => {
        const res = await entity(CHECKOUT_API, 'errors/trend?window=30d');
        expect(res.body.bucket).toBe('day');
        expect(res.body.points).toHaveLength(30);
        expect(res.body.points[0].time).toBe('2026-10-23T00:00:00.000Z');
        const total = res.body.points.reduce(
          (s: number, p: any) => s + p.value,
          0,
        );
        expect(total).toBe(9);
        expect(
          res.body.points.find(
            (p: any) => p.time === '2026-11-10T00:00:00.000Z',
          ).value,
        ).toBe(2);
        expect(res.body.deploys.map((d: any) => d.externalId)).toEqual([
          'deploy-101',
          'deploy-100',
          'deploy-090',
        ]);
      });
    });

    describe('GET .../changes', () => {
      it('lists every kind newest first', async () => {
        const res = await entity(CHECKOUT_API, 'changes');
        expect(res.status).toBe(200);
        expect(
          res.body.items.map((c: any) => [c.kind, c.externalId, c.occurredAt]),
        ).toEqual([
          ['deployment', 'deploy-101', '2026-11-21T07:00:00.000Z'],
          ['release', 'v2.4.0', '2026-11-21T06:30:00.000Z'],
          ['pull_request', '512', '2026-11-21T06:00:00.000Z'],
          ['commit', 'abc1234', '2026-11-21T05:55:00.000Z'],
          ['deployment', 'deploy-100', '2026-11-18T15:00:00.000Z'],
        ]);
        expect(res.body.items[2]).toMatchObject({
          number: 512,
          status: 'merged',
          author: 'dana',
          url: 'https://github.com/acme/checkout-api/pull/512',
          files: ['src/cart/total.ts'],
        });
      });

      it('keeps the kinds of a repeated kind parameter', async () => {
        const res = await entity(
          CHECKOUT_API,
          'changes?kind=deployment&kind=release',
        );
        expect(res.body.items.map((c: any) => c.externalId)).toEqual([
          'deploy-101',
          'v2.4.0',
          'deploy-100',
        ]);
        const one = await entity(
          CHECKOUT_API,
          'changes?kind=pull_request&window=24h',
        );
        expect(one.body.items.map((c: any) => c.externalId)).toEqual(['512']);
      });
    });

    describe('GET .../incidents', () => {
      it('includes resolved incidents and ones open since before the window, with timelines', async () => {
        const res = await entity(CHECKOUT_API, 'incidents');
        expect(res.status).toBe(200);
        expect(
          res.body.items.map((i: any) => [i.externalId, i.status]),
        ).toEqual([
          ['Q1', 'triggered'],
          ['Q2', 'resolved'],
          ['Q4', 'acknowledged'],
        ]);
        expect(res.body.items[0]).toMatchObject({
          entityRef: CHECKOUT_API,
          source: 'pagerduty',
          title: 'Checkout returns 500',
          urgency: 'high',
          createdAt: '2026-11-21T07:30:00.000Z',
          assignees: ['alice'],
          timeline: [
            {
              type: 'trigger',
              message: 'Triggered by Sentry alert',
              occurredAt: '2026-11-21T07:30:00.000Z',
            },
            {
              type: 'annotate',
              message: 'Looking into it',
              actor: 'alice',
              occurredAt: '2026-11-21T07:35:00.000Z',
            },
          ],
        });
        expect(res.body.items[1]).toMatchObject({
          resolvedAt: '2026-11-19T11:00:00.000Z',
          timeline: [
            expect.objectContaining({ type: 'trigger' }),
            expect.objectContaining({ type: 'resolve', actor: 'bob' }),
          ],
        });
      });

      it('reaches back to the October outage in 90 days', async () => {
        const res = await entity(CHECKOUT_API, 'incidents?window=90d');
        expect(res.body.items.map((i: any) => i.externalId)).toEqual([
          'Q1',
          'Q2',
          'Q4',
          'Q3',
        ]);
      });
    });

    describe('GET .../metrics', () => {
      it('gives each metric its hourly counts, distinct users and the previous total', async () => {
        const res = await entity(CHECKOUT_API, 'metrics?window=24h');
        expect(res.status).toBe(200);
        expect(res.body.items.map((m: any) => m.key)).toEqual([
          'checkout_completed',
          'signup',
        ]);
        const [checkout, signup] = res.body.items;
        expect(checkout.total).toBe(70);
        expect(checkout.previousTotal).toBe(50);
        expect(checkout.points.map((p: any) => p.value)).toEqual(
          hourly({ 21: 30, 22: 40 }),
        );
        expect(checkout.users.map((p: any) => p.value)).toEqual(
          hourly({ 21: 2, 22: 3 }),
        );
        expect(checkout.points[21].time).toBe('2026-11-21T06:00:00.000Z');
        expect(signup).toMatchObject({ total: 5, previousTotal: 0 });
        expect(signup.points.map((p: any) => p.value)).toEqual(
          hourly({ 23: 5 }),
        );
      });
    });

    describe('GET .../diagnoses', () => {
      it('lists the entity diagnoses newest first, filtered by status', async () => {
        const all = await entity(CHECKOUT_API, 'diagnoses');
        expect(all.status).toBe(200);
        expect(all.body.items.map((d: any) => [d.summary, d.status])).toEqual([
          ['Deploy 101 broke cart totals', 'open'],
          ['Errors without a matching change', 'open'],
          ['Latency from a slow card provider', 'resolved'],
        ]);
        expect(all.body.items[0].evidence).toEqual([
          expect.objectContaining({ kind: 'timing', weight: 0.3 }),
        ]);
        expect(all.body.items[0].suspects[0]).toMatchObject({
          rank: 1,
          score: 0.9,
          change: { externalId: 'deploy-101', kind: 'deployment' },
          evidence: [expect.objectContaining({ kind: 'file_match' })],
        });

        const open = await entity(CHECKOUT_API, 'diagnoses?status=open');
        expect(open.body.items.map((d: any) => d.summary)).toEqual([
          'Deploy 101 broke cart totals',
          'Errors without a matching change',
        ]);
        const resolved = await entity(
          CHECKOUT_API,
          'diagnoses?status=resolved',
        );
        expect(resolved.body.items.map((d: any) => d.summary)).toEqual([
          'Latency from a slow card provider',
        ]);
      });
    });

    describe('GET .../timeline', () => {
      it('merges changes, incidents, new error groups, anomalies and diagnoses, newest first', async () => {
        const res = await entity(CHECKOUT_API, 'timeline?window=24h');
        expect(res.status).toBe(200);
        expect(
          res.body.items.map((i: any) => [i.time, i.type, i.title]),
        ).toEqual([
          [
            '2026-11-21T08:00:00.000Z',
            'diagnosis',
            'Deploy 101 broke cart totals',
          ],
          ['2026-11-21T07:30:00.000Z', 'incident', 'Checkout returns 500'],
          [
            '2026-11-21T07:20:00.000Z',
            'anomaly',
            'Anomaly: error spike, new error',
          ],
          [
            '2026-11-21T07:20:00.000Z',
            'error_group',
            'New: PaymentDeclinedError: card_declined',
          ],
          [
            '2026-11-21T07:00:00.000Z',
            'deployment',
            'Deploy 101 to production',
          ],
          ['2026-11-21T06:30:00.000Z', 'release', 'v2.4.0'],
          [
            '2026-11-21T06:00:00.000Z',
            'pull_request',
            'Compute totals from line items',
          ],
          [
            '2026-11-20T12:00:00.000Z',
            'diagnosis',
            'Errors without a matching change',
          ],
        ]);
        expect(res.body.items[6].url).toBe(
          'https://github.com/acme/checkout-api/pull/512',
        );
      });
    });

    describe('GET /health', () => {
      const row = (h: EntityHealth) => [h.entityRef, h.score];

      it('ranks the tracked components and systems worst first', async () => {
        const res = await api('/health');
        expect(res.status).toBe(200);
        // The margin the page ranks these rows by, the roll-ups' (productOs.health.tieMargin).
        expect(res.body.tieMargin).toBe(5);
        // checkout-api: 100 - 50 (2 incidents) - 20 (2 open diagnoses waiting for a person: one
        // needing a decision, one actionable) - 14 (7 vs 2 events: 10·log2(8/3) = 14.1)
        // - 2 (2.5·log10(8) = 2.3) = 14 under the score's original four inputs; the inputs added
        // since take 3 more (a new error group), 1 (an incident resolved in an hour) and 15 (its
        // one production deployment was followed by an incident: a change failure rate of 1),
        // which leaves nothing: 0.
        expect(res.body.items[0]).toEqual({
          entityRef: CHECKOUT_API,
          title: 'Checkout API',
          kind: 'Component',
          owner: 'group:default/payments',
          system: 'system:default/checkout',
          lifecycle: 'production',
          errors: { events: 7, previousEvents: 2 },
          openIncidents: 2,
          diagnosesNeedingHuman: 2,
          score: 0,
          inputs: expect.any(Array),
        });
        const penalties = Object.fromEntries(
          res.body.items[0].inputs.map(
            (i: { name: string; penalty: number }) => [i.name, i.penalty],
          ),
        );
        expect(penalties).toEqual({
          openIncidents: 50,
          diagnosesNeedingHuman: 20,
          errorGrowth: 14,
          errorVolume: 2,
          newErrorGroups: 3,
          regressedErrorGroups: 0,
          keyMetricDrop: 0,
          mttr: 1,
          changeFailureRate: 15,
          openDiagnoses: 0,
        });
        expect(res.body.items.map(row)).toEqual([
          [CHECKOUT_API, 0],
          // 1 incident, 1 diagnosis needing a human.
          [CHECKOUT_WEB, 65],
          [LEDGER, 90],
          // 3 events, as many as the week before: only the volume costs, 2.5·log10(4) = 1.5.
          [SEARCH, 98],
          ['system:default/checkout', 100],
        ]);
        expect(res.body.items[3]).toMatchObject({
          errors: { events: 3, previousEvents: 3 },
          openIncidents: 0,
          // Its only diagnosis was rejected.
          diagnosesNeedingHuman: 0,
          lifecycle: 'experimental',
        });
        expect(res.body.items[4]).toEqual({
          entityRef: 'system:default/checkout',
          kind: 'System',
          owner: 'group:default/commerce',
          errors: { events: 0, previousEvents: 0 },
          openIncidents: 0,
          diagnosesNeedingHuman: 0,
          score: 100,
          inputs: expect.any(Array),
        });
      });

      it('lists only what the caller may see in the catalog', async () => {
        const res = await api('/health').set(
          'Authorization',
          mockCredentials.user.header(OUTSIDER),
        );
        expect(res.status).toBe(200);
        expect(res.body.items.map((h: EntityHealth) => h.entityRef)).toEqual([
          CHECKOUT_API,
          CHECKOUT_WEB,
          SEARCH,
          'system:default/checkout',
        ]);
      });

      it('takes an owner group with every group below it', async () => {
        const commerce = await api('/health?owner=group:default/commerce');
        expect(commerce.body.items.map(row)).toEqual([
          [CHECKOUT_API, 0],
          [CHECKOUT_WEB, 65],
          ['system:default/checkout', 100],
        ]);
        const payments = await api('/health?owner=payments');
        expect(payments.body.items.map(row)).toEqual([[CHECKOUT_API, 0]]);
        const nobody = await api('/health?owner=user:default/nobody');
        expect(nobody.body.items).toEqual([]);
      });

      it('filters by system and lifecycle', async () => {
        const bySystem = await api('/health?system=checkout');
        expect(bySystem.body.items.map(row)).toEqual([
          [CHECKOUT_API, 0],
          [CHECKOUT_WEB, 65],
          ['system:default/checkout', 100],
        ]);
        const byRef = await api(
          '/health?system=system:default/checkout&lifecycle=production',
        );
        expect(byRef.body.items.map(row)).toEqual([
          [CHECKOUT_API, 0],
          [CHECKOUT_WEB, 65],
        ]);
        const experimental = await api('/health?lifecycle=experimental');
        expect(experimental.body.items.map(row)).toEqual([[SEARCH, 98]]);
      });

      it('refuses a malformed owner', async () => {
        const res = await api('/health?owner=group:default/');
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          `Invalid query parameter 'owner': Entity reference "group:default/" was not on the form [<kind>:][<namespace>/]<name>`,
        );
        const system = await api('/health?system=:checkout');
        expect(system.status).toBe(400);
        expect(system.body.error.message).toMatch(
          /^Invalid query parameter 'system'/,
        );
        const empty = await api('/diagnoses?owner=');
        expect(empty.status).toBe(400);
        expect(empty.body.error.message).toMatch(
          /^Invalid query parameter 'owner'/,
        );
      });
    });

    describe('GET /diagnoses', () => {
      const summaries = (res: request.Response) =>
        res.body.items.map((d: Diagnosis) => d.summary);

      it('lists diagnoses across the portal, newest first', async () => {
        const res = await api('/diagnoses');
        expect(res.status).toBe(200);
        expect(summaries(res)).toEqual([
          'Deploy 101 broke cart totals',
          'Ledger drift',
          'Web errors after a CDN change',
          'Errors without a matching change',
          'Latency from a slow card provider',
          'Timeouts after an index rebuild',
        ]);
        expect((await api('/diagnoses?limit=2')).body.items).toHaveLength(2);
      });

      it('is the inbox of what needs a human, for what the caller may see', async () => {
        const mine = await api(
          '/diagnoses?status=open&actionability=needs_human',
        );
        expect(summaries(mine)).toEqual([
          'Ledger drift',
          'Web errors after a CDN change',
          'Errors without a matching change',
        ]);
        const outsider = await api(
          '/diagnoses?status=open&actionability=needs_human',
        ).set('Authorization', mockCredentials.user.header(OUTSIDER));
        expect(summaries(outsider)).toEqual([
          'Web errors after a CDN change',
          'Errors without a matching change',
        ]);
        // The hidden entity does not take a place in a limited page either.
        const firstOfOutsider = await api('/diagnoses?limit=2').set(
          'Authorization',
          mockCredentials.user.header(OUTSIDER),
        );
        expect(summaries(firstOfOutsider)).toEqual([
          'Deploy 101 broke cart totals',
          'Web errors after a CDN change',
        ]);
      });

      it('takes an owner group with the groups below it', async () => {
        const res = await api(
          '/diagnoses?owner=group:default/commerce&actionability=needs_human&status=open',
        );
        expect(summaries(res)).toEqual([
          'Web errors after a CDN change',
          'Errors without a matching change',
        ]);
      });

      it('refuses an unknown status by name', async () => {
        const res = await api('/diagnoses?status=closed');
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(
          /^Invalid query parameter 'status'/,
        );
      });
    });

    describe('admin', () => {
      it('lists unmapped deliveries and the audit log for an admin', async () => {
        const unmapped = await api('/admin/unmapped').set(
          'Authorization',
          mockCredentials.user.header(ADMIN),
        );
        expect(unmapped.status).toBe(200);
        expect(unmapped.body.items).toEqual([
          {
            source: 'sentry',
            key: '4505',
            count: 2,
            firstSeen: '2026-11-21T06:00:00.000Z',
            lastSeen: '2026-11-21T07:00:00.000Z',
          },
          {
            source: 'pagerduty',
            key: 'PZZZ999',
            count: 1,
            firstSeen: '2026-11-21T05:00:00.000Z',
            lastSeen: '2026-11-21T05:00:00.000Z',
          },
        ]);

        const audit = await api('/admin/audit').set(
          'Authorization',
          mockCredentials.user.header(ADMIN),
        );
        expect(audit.status).toBe(200);
        expect(
          audit.body.items.map((e: any) => [e.action, e.outcome, e.at]),
        ).toEqual([
          ['pr-comment', 'failed', '2026-11-21T08:20:00.000Z'],
          ['github-issue', 'succeeded', '2026-11-21T08:05:00.000Z'],
        ]);
        expect(audit.body.items[1]).toMatchObject({
          actor: 'user:default/dana',
          target: 'acme/checkout-api',
          request: { diagnosisId: 6 },
          result: { url: 'https://github.com/acme/checkout-api/issues/77' },
        });
        const newest = await api('/admin/audit?limit=1').set(
          'Authorization',
          mockCredentials.user.header(ADMIN),
        );
        expect(newest.body.items.map((e: any) => e.action)).toEqual([
          'pr-comment',
        ]);
      });

      it('pages unmapped deliveries, with the total, and refuses a bad page', async () => {
        const admin = mockCredentials.user.header(ADMIN);
        const page = await api('/admin/unmapped?limit=1&offset=1').set(
          'Authorization',
          admin,
        );
        expect(page.status).toBe(200);
        expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
        expect(page.body.items.map((u: any) => u.key)).toEqual(['PZZZ999']);
        for (const query of ['limit=0', 'limit=501', 'offset=-1', 'limit=x']) {
          const bad = await api(`/admin/unmapped?${query}`).set(
            'Authorization',
            admin,
          );
          expect(bad.status).toBe(400);
          expect(bad.body.error.message).toMatch(
            /^Invalid query parameter '(limit|offset)'/,
          );
        }
      });

      it('is forbidden to everyone else', async () => {
        const res = await api('/admin/unmapped');
        expect(res.status).toBe(403);
        expect(res.body.error.message).toBe(
          'Not allowed to product-os.admin.read',
        );
        expect((await api('/admin/audit')).status).toBe(403);
        expect(
          (
            await api('/admin/audit').set(
              'Authorization',
              mockCredentials.service.header(),
            )
          ).status,
        ).toBe(403);
      });
    });

    describe('status codes', () => {
      it('refuses a bad window, bucket or limit with the parameter named', async () => {
        const window = await entity(CHECKOUT_API, 'overview?window=2d');
        expect(window.status).toBe(400);
        expect(window.body.error.name).toBe('InputError');
        expect(window.body.error.message).toMatch(
          /^Invalid query parameter 'window'/,
        );

        const bucket = await entity(CHECKOUT_API, 'errors/trend?bucket=minute');
        expect(bucket.status).toBe(400);
        expect(bucket.body.error.message).toMatch(
          /^Invalid query parameter 'bucket'/,
        );

        const limit = await entity(CHECKOUT_API, 'errors?limit=0');
        expect(limit.status).toBe(400);
        expect(limit.body.error.message).toMatch(
          /^Invalid query parameter 'limit'/,
        );

        const kind = await entity(
          CHECKOUT_API,
          'changes?kind=deployment&kind=tag',
        );
        expect(kind.status).toBe(400);
        expect(kind.body.error.message).toMatch(
          /^Invalid query parameter 'kind'.*'tag'/,
        );
      });

      it('is 401 without credentials or with a bad token', async () => {
        const none = await entity(CHECKOUT_API, 'overview').set(
          'Authorization',
          mockCredentials.none.header(),
        );
        expect(none.status).toBe(401);
        const invalid = await api('/health').set(
          'Authorization',
          mockCredentials.user.invalidHeader(),
        );
        expect(invalid.status).toBe(401);
        const inbox = await api('/diagnoses').set(
          'Authorization',
          mockCredentials.none.header(),
        );
        expect(inbox.status).toBe(401);
      });

      it('answers a service as it answers a user', async () => {
        const res = await entity(CHECKOUT_API, 'overview').set(
          'Authorization',
          mockCredentials.service.header(),
        );
        expect(res.status).toBe(200);
        expect(res.body.errors.events).toBe(7);
      });

      it('is 404 for an unknown entity', async () => {
        const res = await api(
          '/entities/component/default/no-such-service/errors',
        );
        expect(res.status).toBe(404);
        expect(res.body.error.name).toBe('NotFoundError');
        expect(res.body.error.message).toBe(
          'No entity component:default/no-such-service',
        );
      });

      it('is 404 for an entity the caller may not see, with nothing of its data', async () => {
        const mine = await entity(LEDGER, 'diagnoses');
        expect(mine.status).toBe(200);
        expect(mine.body.items.map((d: any) => d.summary)).toEqual([
          'Ledger drift',
        ]);

        for (const resource of [
          'overview',
          'errors',
          'diagnoses',
          'timeline',
        ]) {
          const res = await entity(LEDGER, resource).set(
            'Authorization',
            mockCredentials.user.header(OUTSIDER),
          );
          expect(res.status).toBe(404);
          expect(res.body.error.message).toBe(`No entity ${LEDGER}`);
        }
      });
    });

    describe('without the product-os.entity.read permission', () => {
      let denied: any;

      beforeAll(async () => {
        ({ server: denied } = await startProductOsBackend({
          database: knex,
          catalog: entities,
          features: [
            mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
          ],
        }));
      });

      it('is 403 on every read', async () => {
        for (const path of [
          '/entities/component/default/checkout-api/overview',
          '/entities/component/default/checkout-api/errors',
          '/entities/component/default/checkout-api/timeline',
          '/health',
          '/diagnoses',
          '/admin/unmapped',
        ]) {
          const res = await request(denied).get(`/api/product-os${path}`);
          expect({ path, status: res.status }).toEqual({ path, status: 403 });
        }
        const res = await request(denied).get('/api/product-os/health');
        expect(res.body.error).toEqual({
          name: 'NotAllowedError',
          message: 'Not allowed to product-os.entity.read',
        });
      });

      it('does not reveal whether an entity exists', async () => {
        const res = await request(denied).get(
          '/api/product-os/entities/component/default/no-such-service/overview',
        );
        expect(res.status).toBe(403);
      });
    });
  });
});
