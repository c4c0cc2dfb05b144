import {
  BUCKET_SIZES,
  TIME_WINDOWS,
  type Actionability,
} from '@internal/plugin-product-os-common';
import type {
  ChangeEventInput,
  ErrorEventInput,
  IncidentInput,
} from '@internal/plugin-product-os-node';
import type { Knex } from 'knex';
import { mergeAnomaly } from '../../../agent/detect/mergeSignals';
import { toRange } from '../../../service/parameters';
import { DAY_MS, HOUR_MS } from '../../../time';
import {
  storeTestDatabases,
  testStores,
} from '../../__testUtils__/storeFixtures';
import type { ProductOsStores } from '../../createProductOsStores';
import type { BucketedRange } from '../../TimeRange';
import { ReadModel } from '../ReadModel';

/*
 * Three entities' history over 90 days, written through the stores' own write paths (the ingest
 * transaction, the agent's anomaly and diagnosis writes, a person's status changes), shaped so
 * that every window of the read API has something at its edges: groups new in a window, one
 * regressed, one gone quiet; incidents open, resolved inside and before a window; changes of
 * every kind; diagnoses in every status.
 */

/** Saturday 21 November 2026, 08:30 UTC: "now" for every window of the tests. */
export const NOW = Date.parse('2026-11-21T08:30:00.000Z');
export const API = 'component:default/checkout-api';
export const PAYMENTS = 'component:default/payments-api';
export const SEARCH = 'component:default/search';
/** Tracked but without any data. */
export const QUIET = 'component:default/quiet';
export const ENTITIES = [API, PAYMENTS, SEARCH, QUIET];

const ago = (ms: number) => NOW - ms;

/**
 * The windows of the API at NOW (`toRange` of 24h, 7d, 30d and 90d, with their default and
 * other bucket sizes), and two that do not start on a bucket.
 */
export const RANGES: Array<BucketedRange & { name: string }> = [
  ...TIME_WINDOWS.flatMap(window =>
    BUCKET_SIZES.map(bucket => ({
      name: `${window} by ${bucket}`,
      ...toRange({ window, bucket }, NOW),
    })),
  ),
  {
    name: 'unaligned, by hour',
    bucketMs: HOUR_MS,
    from: ago(5 * DAY_MS + 17 * 60_000),
    to: ago(-3 * 60_000),
  },
  {
    name: 'unaligned, by day',
    bucketMs: DAY_MS,
    from: ago(12 * DAY_MS + 5 * HOUR_MS),
    to: ago(2 * HOUR_MS),
  },
];

function error(
  entityRef: string,
  fingerprint: string,
  n: number,
  timestamp: number,
): ErrorEventInput {
  return {
    entityRef,
    source: 'sentry',
    fingerprint,
    eventId: `${entityRef}-${fingerprint}-${n}`,
    title: `Error ${fingerprint}`,
    culprit: `${fingerprint}(src/${fingerprint}.ts)`,
    level: 'error',
    timestamp,
    release: `r${Math.floor(n / 10)}`,
    topFrames: [{ filename: `src/${fingerprint}.ts`, inApp: true }],
    permalink: `https://acme.sentry.io/issues/${fingerprint}/`,
    userKey: `u${n % 3}`,
  };
}

/** `count` events of a group, evenly from `from` to `to` (ms ago). */
function errors(
  entityRef: string,
  fingerprint: string,
  count: number,
  fromAgo: number,
  toAgo: number,
  first = 0,
): ErrorEventInput[] {
  const step = count > 1 ? (fromAgo - toAgo) / (count - 1) : 0;
  return Array.from({ length: count }, (_, i) =>
    error(
      entityRef,
      fingerprint,
      first + i,
      Math.round(ago(fromAgo - i * step)),
    ),
  );
}

function change(
  entityRef: string,
  kind: ChangeEventInput['kind'],
  n: number,
  whenAgo: number,
): ChangeEventInput {
  return {
    entityRef,
    source: kind === 'change' ? 'pagerduty' : 'github',
    kind,
    externalId: `${kind}-${n}`,
    title: `${kind} ${n}`,
    sha: kind === 'commit' ? `${n}`.padStart(40, 'a') : undefined,
    url: `https://github.com/acme/${kind}/${n}`,
    occurredAt: ago(whenAgo),
  };
}

function incident(
  entityRef: string,
  n: number,
  createdAgo: number,
  state: { status: IncidentInput['status']; resolvedAgo?: number },
): IncidentInput {
  return {
    entityRef,
    source: 'pagerduty',
    externalId: `P${n}`,
    title: `Incident ${n}`,
    urgency: 'high',
    status: state.status,
    createdAt: ago(createdAgo),
    ...(state.resolvedAgo !== undefined && {
      resolvedAt: ago(state.resolvedAgo),
    }),
    url: `https://acme.pagerduty.com/incidents/P${n}`,
  };
}

/** Writes the history; the ingest path is the one source modules write through. */
export async function seedReadHistory(stores: ProductOsStores): Promise<void> {
  const H = HOUR_MS;
  const D = DAY_MS;
  const ingest = <T>(
    source: 'sentry' | 'github' | 'pagerduty',
    write: Parameters<ProductOsStores['ingest']['ingest']>[1],
  ) => stores.ingest.ingest({ source }, write as any) as Promise<T>;

  await ingest('sentry', w =>
    w.recordErrorEvents([
      // Steady since 80 days, into both windows and the ones before them.
      ...errors(API, 'steady', 160, 80 * D, H),
      // Quiet for 50 days now.
      ...errors(API, 'gone-quiet', 12, 60 * D, 50 * D),
      // New this week, and new today.
      ...errors(API, 'this-week', 9, 4 * D + 3 * H, 2 * D),
      ...errors(API, 'today', 5, 3 * H, 20 * 60_000),
      // The other entity's groups, busier than this one's, in every window.
      ...errors(PAYMENTS, 'steady', 300, 85 * D, 2 * H),
      ...errors(PAYMENTS, 'fresh', 4, 6 * H, 5 * H),
      ...errors(API, 'regressed', 6, 20 * D, 15 * D),
    ]),
  );
  // Resolved ten days ago, back two days ago: regressed inside the 7-day window.
  await ingest('sentry', w =>
    w.updateErrorGroupStatus({
      entityRef: API,
      source: 'sentry',
      fingerprint: 'regressed',
      status: 'resolved',
      at: ago(10 * D),
    }),
  );
  await ingest('sentry', w =>
    w.recordErrorEvents(errors(API, 'regressed', 3, 2 * D, D, 100)),
  );

  await ingest('github', w =>
    w.upsertChangeEvents([
      change(API, 'deployment', 1, 2 * H),
      change(API, 'deployment', 2, 3 * D),
      change(API, 'deployment', 3, 10 * D),
      change(API, 'deployment', 4, 40 * D),
      change(API, 'pull_request', 5, D),
      change(API, 'release', 6, 5 * D),
      change(API, 'commit', 7, H),
      change(API, 'commit', 8, 2 * D),
      change(API, 'change', 9, 6 * H),
      change(PAYMENTS, 'deployment', 10, D),
    ]),
  );

  await ingest('pagerduty', async w => {
    await w.upsertIncident(incident(API, 1, 2 * H, { status: 'triggered' }));
    await w.upsertIncident(
      incident(API, 2, 3 * D, { status: 'resolved', resolvedAgo: 3 * D - H }),
    );
    await w.upsertIncident(
      incident(API, 3, 20 * D, { status: 'acknowledged' }),
    );
    await w.upsertIncident(
      incident(API, 4, 12 * D, { status: 'resolved', resolvedAgo: 6 * D }),
    );
    await w.upsertIncident(
      incident(API, 5, 40 * D, { status: 'resolved', resolvedAgo: 39 * D }),
    );
    await w.upsertIncident(incident(PAYMENTS, 6, D, { status: 'triggered' }));
    await w.upsertIncident(
      incident(SEARCH, 7, H, { status: 'resolved', resolvedAgo: H / 2 }),
    );
  });

  // The agent's anomalies and diagnoses, and what people did with them.
  const diagnosed: Array<[string, number, Actionability]> = [
    [API, 3 * H, 'needs_human'],
    [API, 4 * D, 'actionable'],
    [API, 25 * D, 'collecting'],
    [API, 60 * D, 'needs_human'],
    [PAYMENTS, D, 'actionable'],
    [PAYMENTS, 2 * D, 'collecting'],
  ];
  const ids: number[] = [];
  for (const [entityRef, onsetAgo, actionability] of diagnosed) {
    const { anomaly } = await stores.anomalies.recordAnomaly(
      {
        entityRef,
        kinds: ['error_spike'],
        onsetAt: ago(onsetAgo),
        detectedAt: ago(onsetAgo) + 20 * 60_000,
        magnitude: 5,
        score: 0.7,
      },
      { mergeWindowMs: 90 * 60_000, merge: mergeAnomaly },
    );
    const { diagnosis } = await stores.diagnoses.saveAgentDiagnosis({
      entityRef,
      anomalyId: anomaly.id,
      summary: `Errors rose ${onsetAgo / H} hours ago`,
      confidence: 0.6,
      actionability,
      reviewers: [],
      createdAt: ago(onsetAgo) + 30 * 60_000,
      suspects: [],
      evidence: [],
    });
    ids.push(diagnosis.id);
  }
  const review = (id: number, to: 'acknowledged' | 'resolved' | 'rejected') =>
    stores.diagnoses.transitionDiagnosis(id, {
      to,
      from: ['open', 'acknowledged'],
      reason: 'checked',
      by: 'user:default/mona',
      at: NOW - H,
    });
  await review(ids[1], 'acknowledged');
  await review(ids[2], 'resolved');
  await review(ids[5], 'rejected');
}

/**
 * Runs `body` on both engines, with the history written once per engine and the read model on
 * the same database.
 */
export function describeOnSeededEngines(
  body: (seeded: () => { knex: Knex; readModel: ReadModel }) => void,
) {
  const databases = storeTestDatabases();
  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let readModel: ReadModel;
    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await seedReadHistory(await testStores(knex));
      readModel = new ReadModel(knex);
    });
    body(() => ({ knex, readModel }));
  });
}
