import {
  storeTestDatabases,
  testStores,
} from '../database/__testUtils__/storeFixtures';
import type { ProductOsStores } from '../database/createProductOsStores';
import { DAY_MS, HOUR_MS } from '../time';
import { testAgent } from '../__testUtils__/testAgent';
import type { MonitoringAgent } from './MonitoringAgent';

jest.setTimeout(60_000);

const MINUTE_MS = 60_000;
const storefront = 'component:default/storefront';
const METRIC = 'checkout_completed';
/** The first hour after the deployment: 14:00–15:00 UTC on Friday 20 November 2026. */
const HOUR = Date.UTC(2026, 10, 20, 14, 0);

describe('MonitoringAgent, when a key metric falls in the first hour after a deployment', () => {
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
            dependsOn: [],
            keyMetrics: [METRIC],
          },
        ],
        () => clock,
      );
    });

    it('diagnoses it after that hour, names the deployment and the one to roll back to', async () => {
      await stores.ingest.ingest({ source: 'github' }, writer =>
        writer.upsertChangeEvents(
          [
            {
              id: 'good',
              sha: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
              at: HOUR - DAY_MS,
            },
            {
              id: 'bad',
              sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
              at: HOUR + 5 * MINUTE_MS,
            },
          ].map(d => ({
            entityRef: storefront,
            source: 'github' as const,
            kind: 'deployment' as const,
            externalId: `deployment-${d.id}`,
            title: `Deploy ${d.sha.slice(0, 7)} to production`,
            sha: d.sha,
            environment: 'production',
            status: 'success',
            occurredAt: d.at - 4 * MINUTE_MS,
            finishedAt: d.at,
            files: ['src/checkout/CheckoutForm.tsx'],
          })),
        ),
      );
      // Nine days at 300 an hour by day and 100 by night, then 120 in the hour after the deploy.
      await stores.ingest.ingest({ source: 'posthog' }, writer =>
        writer.recordMetricPoints(
          Array.from({ length: 9 * 24 + 1 }, (_, i) => {
            const bucketStart = HOUR - 9 * DAY_MS + i * HOUR_MS;
            const hourOfDay = new Date(bucketStart).getUTCHours();
            const usual =
              (hourOfDay >= 8 && hourOfDay < 20 ? 300 : 100) + (i % 3) * 5;
            return {
              entityRef: storefront,
              metric: METRIC,
              bucketStart,
              count: bucketStart === HOUR ? 120 : usual,
            };
          }),
        ),
      );

      // 14:40: the hour is not over, and one hour is what the heartbeat judges.
      clock = HOUR + 40 * MINUTE_MS;
      expect((await agent.runForEntity(storefront)).anomalies).toEqual([]);

      clock = HOUR + HOUR_MS + 5 * MINUTE_MS;
      const [found] = (await agent.runForEntity(storefront)).anomalies;
      const diagnosis = (await stores.diagnoses.getDiagnosis(
        found.diagnosis!.id,
      ))!;
      expect(diagnosis).toMatchObject({
        verdict: 'suspect',
        actionability: 'actionable',
      });
      expect(diagnosis.suspects[0].change.externalId).toBe('deployment-bad');
      expect(diagnosis.summary).toMatch(
        /^checkout_completed in storefront fell 6\d% in the first hour after deployment a1b2c3d went live at 14:05 UTC/,
      );
      expect(diagnosis.nextStep).toMatch(/9f8e7d6/);
    });
  });
});
