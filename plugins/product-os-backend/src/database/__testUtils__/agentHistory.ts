import type { ErrorEventInput } from '@internal/plugin-product-os-node';
import { mergeAnomaly } from '../../agent/detect/mergeSignals';
import type { AnomalyInput } from '../anomalies/AnomalyStore';
import type { ProductOsStores } from '../createProductOsStores';

/*
 * A short history of two entities as the diagnosis agent reads it: errors of two groups of
 * checkout-api, storefront's metrics, and one deployment.
 */

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const T = Date.parse('2026-11-09T13:00:00Z');
export const API = 'component:default/checkout-api';
export const WEB = 'component:default/storefront';

export function event(
  fingerprint: string,
  n: number,
  timestamp: number,
  patch: Partial<ErrorEventInput> = {},
): ErrorEventInput {
  return {
    entityRef: API,
    source: 'sentry',
    fingerprint,
    eventId: `${fingerprint}-${n}`,
    title: `Error ${fingerprint}`,
    level: 'error',
    timestamp,
    release: 'a1b2c3d',
    topFrames: [{ filename: '/app/src/cart/total.ts', inApp: true }],
    userKey: `u${n % 4}`,
    ...patch,
  };
}

export function anomalyAt(
  onsetAt: number,
  patch: Partial<AnomalyInput> = {},
): AnomalyInput {
  return {
    entityRef: API,
    kinds: ['error_spike'],
    onsetAt,
    detectedAt: onsetAt + 20 * MINUTE,
    magnitude: 5,
    score: 0.7,
    details: { signals: [], onsetUncertaintyMs: HOUR },
    ...patch,
  };
}

export const merge = { mergeWindowMs: 90 * MINUTE, merge: mergeAnomaly };

/** Writes the history through the ingest path; returns the deployment's id. */
export async function seedAgentHistory(
  stores: ProductOsStores,
): Promise<{ deployId: number }> {
  await stores.ingest.ingest({ source: 'sentry' }, w =>
    w.recordErrorEvents([
      event('old', 1, T - 2 * HOUR),
      event('old', 2, T - 2 * HOUR + MINUTE),
      event('old', 3, T + 5 * MINUTE),
      event('new', 4, T + 10 * MINUTE, { release: 'f00ba47' }),
      event('new', 5, T + 12 * MINUTE),
      event('new', 6, T + 14 * MINUTE),
      event('new', 7, T + 16 * MINUTE),
    ]),
  );
  await stores.ingest.ingest({ source: 'posthog' }, w =>
    w.recordMetricPoints([
      {
        entityRef: WEB,
        metric: 'checkout_completed',
        bucketStart: T - HOUR,
        count: 400,
      },
      {
        entityRef: WEB,
        metric: 'checkout_completed',
        bucketStart: T,
        count: 150,
      },
      {
        entityRef: WEB,
        metric: 'added_to_cart',
        bucketStart: T,
        count: 900,
      },
    ]),
  );
  await stores.ingest.ingest({ source: 'github' }, w =>
    w.upsertChangeEvents([
      {
        entityRef: API,
        source: 'github',
        kind: 'deployment',
        externalId: 'd-1',
        title: 'Deploy',
        sha: 'a1b2c3d',
        occurredAt: T - 10 * MINUTE,
      },
    ]),
  );
  const [{ id: deployId }] = await stores.changes.getChangeEvents(API, {
    from: 0,
    to: T,
  });
  return { deployId };
}
