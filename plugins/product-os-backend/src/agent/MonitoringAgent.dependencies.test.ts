import {
  storeTestDatabases,
  testStores,
} from '../database/__testUtils__/storeFixtures';
import type { ProductOsStores } from '../database/createProductOsStores';
import { testAgent } from '../__testUtils__/testAgent';
import type { MonitoringAgent } from './MonitoringAgent';

jest.setTimeout(60_000);

const MINUTE_MS = 60_000;
const storefront = 'component:default/storefront';
const checkout = 'component:default/checkout-api';
/** When the deploy of checkout-api went live. */
const LIVE_AT = Date.UTC(2026, 10, 20, 14, 0);

/**
 * The order the demo found by chance: the storefront pages minutes after checkout-api's deploy,
 * and is researched before checkout-api's errors add up to trouble of its own.
 */
describe('MonitoringAgent, when a dependency shows trouble after its dependent was diagnosed', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let stores: ProductOsStores;
    let agent: MonitoringAgent;
    let clock = 0;

    beforeAll(async () => {
      stores = await testStores(await databases.init(databaseId));
      agent = testAgent(
        stores,
        [
          {
            entityRef: storefront,
            name: 'storefront',
            dependsOn: [checkout],
            keyMetrics: [],
          },
          {
            entityRef: checkout,
            name: 'checkout-api',
            dependsOn: [],
            keyMetrics: [],
          },
        ],
        () => clock,
      );
    });

    it("rewrites the dependent's open diagnosis with the dependency's trouble, once", async () => {
      await stores.ingest.ingest({ source: 'github' }, writer =>
        writer.upsertChangeEvents([
          {
            entityRef: checkout,
            source: 'github',
            kind: 'deployment',
            externalId: 'deployment-1',
            title: 'Deploy 8a1b2c3 to production',
            sha: '8a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
            environment: 'production',
            status: 'success',
            occurredAt: LIVE_AT - 90_000,
            finishedAt: LIVE_AT,
            files: ['src/cart/totals.ts'],
          },
        ]),
      );
      await stores.ingest.ingest({ source: 'pagerduty' }, writer =>
        writer.upsertIncident(
          {
            entityRef: storefront,
            source: 'pagerduty',
            externalId: 'incident-1',
            title: 'Checkout success rate below 90 % on the storefront',
            status: 'triggered',
            createdAt: LIVE_AT + 2_000,
          },
          [],
        ),
      );
      // The storefront's failed checkouts: calls to checkout-api.
      await stores.ingest.ingest({ source: 'sentry' }, writer =>
        writer.recordErrorEvents(
          Array.from({ length: 12 }, (_, i) => ({
            entityRef: storefront,
            source: 'sentry' as const,
            fingerprint: 'checkout-failed',
            eventId: `storefront-event-${i}`,
            title: 'Error: checkout-api responded 500',
            level: 'error',
            timestamp: LIVE_AT + 1_000 + i * 1_500,
            topFrames: [
              {
                filename: 'src/api/checkoutClient.ts',
                function: 'submitCheckout',
                inApp: true,
              },
            ],
          })),
        ),
      );
      clock = LIVE_AT + 22_000;
      const first = await agent.runForEntity(storefront);
      const [diagnosed] = first.anomalies;
      expect(diagnosed.diagnosis?.outcome).toBe('created');
      const before = (await stores.diagnoses.getDiagnosis(
        diagnosed.diagnosis!.id,
      ))!;
      // Named already, on the failed calls alone: an unchanged anomaly with such a diagnosis was
      // never diagnosed again, so checkout-api's trouble never showed on it.
      expect(before).toMatchObject({
        actionability: 'actionable',
        verdict: 'suspect',
      });
      expect(before.evidence.map(e => e.kind)).not.toContain('dependency');

      // checkout-api's new error arrives, and its own run records the trouble.
      await stores.ingest.ingest({ source: 'sentry' }, writer =>
        writer.recordErrorEvents(
          Array.from({ length: 20 }, (_, i) => ({
            entityRef: checkout,
            source: 'sentry' as const,
            fingerprint: 'cart-total-nan',
            eventId: `event-${i}`,
            title:
              'TypeError: Cannot read properties of undefined (reading amount)',
            level: 'error',
            timestamp: LIVE_AT + MINUTE_MS + i * 6_000,
            topFrames: [
              {
                filename: 'src/cart/totals.ts',
                function: 'lineTotal',
                inApp: true,
              },
            ],
          })),
        ),
      );
      clock = LIVE_AT + 5 * MINUTE_MS;
      const upstream = await agent.runForEntity(checkout);
      expect(upstream.anomalies.map(a => a.outcome)).toContain('created');
      expect(await agent.openDependents(checkout)).toEqual([storefront]);
      expect(await agent.openDependents(storefront)).toEqual([]);

      const again = await agent.runForEntity(storefront);
      expect(again.anomalies[0].diagnosis).toEqual({
        id: before.id,
        outcome: 'updated',
      });
      const after = (await stores.diagnoses.getDiagnosis(before.id))!;
      expect(after.evidence.find(e => e.kind === 'dependency')).toMatchObject({
        facts: expect.objectContaining({ entityRef: checkout }),
      });
      expect(after.createdAt).toBe(before.createdAt);

      // Nothing new upstream: the diagnosis people read is not written again.
      clock += MINUTE_MS;
      const unchanged = await agent.runForEntity(storefront);
      expect(unchanged.anomalies[0].diagnosis).toBeUndefined();
    });
  });
});
