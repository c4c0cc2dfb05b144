import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  ChangeEventInput,
  ErrorEventInput,
  IncidentInput,
  IncidentTimelineInput,
} from '@internal/plugin-product-os-node';
import type { Anomaly } from '@internal/plugin-product-os-common';
import { Knex } from 'knex';
import { HOUR_MS } from '../../time';
import type { AnomalyInput, AnomalyStore } from '../anomalies/AnomalyStore';
import type {
  AuditEntry,
  AuditEntryInput,
  AuditStore,
} from '../audit/AuditStore';
import {
  createProductOsStores,
  ProductOsStores,
} from '../createProductOsStores';

/*
 * What the store tests share: the engines they run on, the stores on a test database, and a
 * day of fixtures from checkout-api's sources.
 */

/** Both engines every store test runs on. */
export function storeTestDatabases() {
  return TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
}

/** The stores on a migrated test database. */
export function testStores(
  knex: Knex,
  options: Omit<Parameters<typeof createProductOsStores>[0], 'database'> = {},
): Promise<ProductOsStores> {
  return createProductOsStores({
    database: mockServices.database({ knex }),
    ...options,
  });
}

export const MINUTE_MS = 60_000;
/** 2026-11-20T00:00:00Z, the day the fixtures happen. */
export const T0 = Date.UTC(2026, 10, 20);
export const ENTITY = 'component:default/checkout-api';
export const OTHER_ENTITY = 'component:default/payments-api';

/** Epoch ms `hour` hours and `minute` minutes after T0 (negative hours are before it). */
export function at(hour: number, minute = 0): number {
  return T0 + hour * HOUR_MS + minute * MINUTE_MS;
}

export function isoAt(hour: number, minute = 0): string {
  return new Date(at(hour, minute)).toISOString();
}

/** The points of a series from `fromHour`, one bucket of `stepHours` per value. */
export function series(fromHour: number, values: number[], stepHours = 1) {
  return values.map((value, i) => ({
    time: isoAt(fromHour + i * stepHours),
    value,
  }));
}

/** A Sentry-style 32-hex event id. */
export function eventId(n: number): string {
  return `8d2f0c6b4a1e4f3b9c7d${n.toString(16).padStart(12, '0')}`;
}

export const CART_TOTAL = 'cart-total-type-error';
export const GATEWAY_TIMEOUT = 'payment-gateway-timeout';
export const COUPON_RANGE = 'coupon-range-error';

export function sentryEvent(
  overrides: Partial<ErrorEventInput> & { eventId: string; timestamp: number },
): ErrorEventInput {
  return {
    entityRef: ENTITY,
    source: 'sentry',
    fingerprint: CART_TOTAL,
    title: "TypeError: Cannot read properties of undefined (reading 'amount')",
    culprit: 'computeTotal(src/cart/total.ts)',
    level: 'error',
    release: 'checkout-api@2.14.0',
    environment: 'production',
    topFrames: [
      {
        filename: 'src/cart/total.ts',
        function: 'computeTotal',
        lineno: 42,
        inApp: true,
      },
      {
        filename: 'src/cart/CartService.ts',
        function: 'checkout',
        lineno: 118,
        inApp: true,
      },
    ],
    permalink: 'https://acme.sentry.io/issues/4511234/',
    payload: { event_id: overrides.eventId, platform: 'node' },
    ...overrides,
  };
}

export function deployment(
  overrides: Partial<ChangeEventInput> = {},
): ChangeEventInput {
  return {
    entityRef: ENTITY,
    source: 'github',
    kind: 'deployment',
    externalId: '1874523901',
    title: 'Deploy 9f2c1e7 to production',
    author: 'mona',
    sha: '9f2c1e7d5b3a48c0e6f1a2b3c4d5e6f708192a3b',
    environment: 'production',
    status: 'in_progress',
    url: 'https://github.com/acme/checkout-api/deployments/1874523901',
    occurredAt: at(14, 2),
    files: ['src/cart/total.ts', 'src/cart/CartService.ts'],
    ...overrides,
  };
}

export function pullRequest(
  overrides: Partial<ChangeEventInput> = {},
): ChangeEventInput {
  return {
    entityRef: ENTITY,
    source: 'github',
    kind: 'pull_request',
    externalId: 'acme/checkout-api#512',
    title: 'Compute cart totals from line items',
    author: 'hubot',
    sha: '4c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d',
    number: 512,
    status: 'merged',
    url: 'https://github.com/acme/checkout-api/pull/512',
    occurredAt: at(13, 40),
    files: ['src/cart/total.ts'],
    ...overrides,
  };
}

export function pagerDutyIncident(
  overrides: Partial<IncidentInput> = {},
): IncidentInput {
  return {
    entityRef: ENTITY,
    source: 'pagerduty',
    externalId: 'Q2K7XG0JQZ4P8A',
    title: 'Checkout API error rate above 5%',
    urgency: 'high',
    priority: 'P1',
    status: 'triggered',
    createdAt: at(14, 20),
    assignees: ['PXPGF42'],
    url: 'https://acme.pagerduty.com/incidents/Q2K7XG0JQZ4P8A',
    ...overrides,
  };
}

export function timelineEntry(
  externalId: string,
  type: string,
  occurredAt: number,
  actor?: string,
): IncidentTimelineInput {
  return {
    externalId,
    type,
    message: `Incident ${type.replace('incident.', '')}`,
    actor,
    occurredAt,
  };
}

/** Reads of what the error writes left in the tables, for the suite's current stores. */
export function errorTables(
  current: () => { knex: Knex; stores: ProductOsStores },
) {
  async function recordErrors(events: ErrorEventInput[]) {
    const { duplicate, result } = await current().stores.ingest.ingest(
      { source: 'sentry' },
      writer => writer.recordErrorEvents(events),
    );
    expect(duplicate).toBe(false);
    return result!;
  }

  /** The hourly buckets of a group, oldest first. */
  async function bucketsOf(fingerprint: string, entityRef = ENTITY) {
    const rows = await current()
      .knex('error_buckets')
      .join('error_groups', 'error_groups.id', 'error_buckets.group_id')
      .where({
        'error_groups.fingerprint': fingerprint,
        'error_groups.entity_ref': entityRef,
      })
      .orderBy('error_buckets.bucket_start')
      .select(
        'error_buckets.bucket_start',
        'error_buckets.count',
        'error_buckets.users',
      );
    return rows.map(row => ({
      start: new Date(Number(row.bucket_start)).toISOString(),
      count: Number(row.count),
      users: Number(row.users),
    }));
  }

  async function groupRow(fingerprint: string, entityRef = ENTITY) {
    return current()
      .knex('error_groups')
      .where({ fingerprint, entity_ref: entityRef })
      .first();
  }

  /** Event ids in a group's bounded sample, oldest first. */
  async function sampleOf(fingerprint: string) {
    const rows = await current()
      .knex('error_events')
      .join('error_groups', 'error_groups.id', 'error_events.group_id')
      .where('error_groups.fingerprint', fingerprint)
      .orderBy('error_events.timestamp')
      .select('error_events.event_id');
    return rows.map(row => row.event_id);
  }

  return { recordErrors, bucketsOf, groupRow, sampleOf };
}

/**
 * Records an anomaly the way the agent does (under the entity's lock, merging with none) and
 * reads it back as the API shows it.
 */
export async function seedAnomaly(
  anomalies: AnomalyStore,
  input: AnomalyInput,
): Promise<Anomaly> {
  const { anomaly, outcome } = await anomalies.recordAnomaly(input, {
    mergeWindowMs: 0,
    merge: () => {
      throw new Error('A seeded anomaly does not merge with another');
    },
  });
  if (outcome !== 'created')
    throw new Error(`The seeded anomaly was ${outcome}, not created`);
  const shown = await anomalies.getAnomalies(input.entityRef, {
    from: anomaly.onsetAt,
    to: anomaly.onsetAt + 1,
  });
  return shown.find(a => a.id === anomaly.id)!;
}

let seededWrites = 0;

/**
 * Records an audited write the way actions do (claimed under a preview token, then settled)
 * and reads the entry back.
 */
export async function seedAuditEntry(
  audit: AuditStore,
  entry: Omit<AuditEntryInput, 'outcome'> & {
    outcome: 'succeeded' | 'failed';
  },
): Promise<AuditEntry> {
  const { outcome, result, ...claimed } = entry;
  seededWrites += 1;
  const claim = await audit.claimAuditedWrite({
    ...claimed,
    previewToken: `seeded-write-${seededWrites}`,
  });
  if (!claim.claimed) throw new Error('The seeded write was claimed already');
  await audit.settleAuditedWrite(claim.id, { at: entry.at, outcome, result });
  const entries = await audit.listAudit(1_000);
  return entries.find(e => e.id === claim.id)!;
}
