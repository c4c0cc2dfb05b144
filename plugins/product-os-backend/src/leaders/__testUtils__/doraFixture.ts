import type { ChangeEventInput } from '@internal/plugin-product-os-node';
import type { ProductOsStores } from '../../database/createProductOsStores';
import { DAY_MS, HOUR_MS } from '../../time';

/*
 * A month of deliveries whose DORA figures are worked out by hand in the tests (doraReport.test.ts
 * lists them). "Now" is NOW; `d(n, h)` is hour h of the day n days before it.
 */

/** 2026-11-30T00:00:00Z. */
export const NOW = Date.UTC(2026, 10, 30);
export const CHECKOUT = 'component:default/checkout-api';
export const PAYMENTS = 'component:default/payments-api';
/** Tracked but never deployed. */
export const LIBRARY = 'component:default/money-lib';

export function d(daysBefore: number, hour = 0, minute = 0): number {
  return NOW - daysBefore * DAY_MS + hour * HOUR_MS + minute * 60_000;
}

function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function commit(
  entityRef: string,
  sha: string,
  title: string,
  occurredAt: number,
): ChangeEventInput {
  return {
    entityRef,
    source: 'github',
    kind: 'commit',
    externalId: sha,
    sha,
    title,
    occurredAt,
  };
}

function deploy(
  entityRef: string,
  id: string,
  sha: string,
  startedAt: number,
  finishedAt: number,
  overrides: Partial<ChangeEventInput> = {},
): ChangeEventInput {
  return {
    entityRef,
    source: 'github',
    kind: 'deployment',
    externalId: id,
    sha,
    title: `Deploy ${sha} to production`,
    environment: 'production',
    status: 'success',
    occurredAt: startedAt,
    finishedAt,
    ...overrides,
  };
}

/**
 * checkout-api:
 * - commits c1 (d20 09:00), c2 (d20 11:00), c3 (d10 08:00), c4 `Revert "Coupon ranges"` (d5 10:00),
 *   and pull request #5 merged as c2 (not a change of its own);
 * - production deployments D1 of c2 (d20 12:00–13:00), D2 of c3 (d10 09:00–10:00), D3 of c2 again
 *   (d9 00:00–01:00, a rollback), D4 of c4 (d5 11:00–12:00); a staging deployment (d4) and a
 *   failed production one (d3) that do not count;
 * - incidents I0 (d25, before any deployment), I1 (d20 14:00, resolved 16:00) and I2 (d20 20:00,
 *   resolved d19 13:00) after D1, I3 (d5 13:00, unresolved) after D4;
 * - an open diagnosis naming c3 (d10 12:00), and a rejected one naming D3.
 *
 * payments-api: pull request #7 merged at d21 00:00 without stored commits, deployed by its merge
 * commit d20 17:00–18:00.
 */
export async function seedDoraFixture(
  stores: ProductOsStores,
  now: number = NOW,
) {
  // Every time of the fixture, relative to the "now" it is seeded for (a day's start).
  const at = (daysBefore: number, hour = 0, minute = 0) =>
    dayOf(now) - daysBefore * DAY_MS + hour * HOUR_MS + minute * 60_000;
  const changes: ChangeEventInput[] = [
    commit(CHECKOUT, 'c1', 'Add cart totals', at(20, 9)),
    commit(CHECKOUT, 'c2', 'Fix rounding', at(20, 11)),
    commit(CHECKOUT, 'c3', 'Coupon ranges', at(10, 8)),
    commit(CHECKOUT, 'c4', 'Revert "Coupon ranges"', at(5, 10)),
    {
      entityRef: CHECKOUT,
      source: 'github',
      kind: 'pull_request',
      externalId: '5',
      number: 5,
      title: 'Fix rounding',
      status: 'merged',
      sha: 'c2',
      occurredAt: at(20, 11, 30),
    },
    deploy(CHECKOUT, 'D1', 'c2', at(20, 12), at(20, 13)),
    deploy(CHECKOUT, 'D2', 'c3', at(10, 9), at(10, 10)),
    deploy(CHECKOUT, 'D3', 'c2', at(9, 0), at(9, 1)),
    deploy(CHECKOUT, 'D4', 'c4', at(5, 11), at(5, 12)),
    deploy(CHECKOUT, 'staging', 'c4', at(4), at(4, 1), {
      environment: 'staging',
    }),
    deploy(CHECKOUT, 'failed', 'c4', at(3), at(3, 1), { status: 'failure' }),
    {
      entityRef: PAYMENTS,
      source: 'github',
      kind: 'pull_request',
      externalId: '7',
      number: 7,
      title: 'Retry the gateway',
      status: 'merged',
      sha: 'p7',
      occurredAt: at(21, 0),
    },
    deploy(PAYMENTS, 'P1', 'p7', at(20, 17), at(20, 18)),
  ];
  await stores.ingest.ingest({ source: 'github' }, async writer => {
    await writer.upsertChangeEvents(changes);
  });
  const incidents = [
    { id: 'I0', createdAt: at(25), resolvedAt: at(25, 2) },
    { id: 'I1', createdAt: at(20, 14), resolvedAt: at(20, 16) },
    { id: 'I2', createdAt: at(20, 20), resolvedAt: at(19, 13) },
    { id: 'I3', createdAt: at(5, 13) },
  ];
  await stores.ingest.ingest({ source: 'pagerduty' }, async writer => {
    for (const incident of incidents) {
      await writer.upsertIncident({
        entityRef: CHECKOUT,
        source: 'pagerduty',
        externalId: incident.id,
        title: `Checkout ${incident.id}`,
        status: incident.resolvedAt ? 'resolved' : 'triggered',
        createdAt: incident.createdAt,
        resolvedAt: incident.resolvedAt,
      });
    }
  });
  const stored = await stores.changes.getChangeEvents(CHECKOUT, {
    from: at(40),
    to: at(-1),
  });
  const idOf = (externalId: string) =>
    stored.find(c => c.externalId === externalId)!.id;
  const diagnosis = (changeEventId: number, createdAt: number) =>
    stores.diagnoses.createDiagnosis({
      entityRef: CHECKOUT,
      summary: 'Errors rose after a change',
      confidence: 0.8,
      actionability: 'actionable',
      reviewers: [],
      createdAt,
      suspects: [{ changeEventId, score: 0.8, confidence: 0.8, evidence: [] }],
      evidence: [],
    });
  await diagnosis(idOf('c3'), at(10, 12));
  const rejected = await diagnosis(idOf('D3'), at(9, 2));
  await stores.diagnoses.transitionDiagnosis(rejected.id, {
    to: 'rejected',
    from: ['open'],
    by: 'user:default/mona',
    at: at(9, 3),
  });
}
