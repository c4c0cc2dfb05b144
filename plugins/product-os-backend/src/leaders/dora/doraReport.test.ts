import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  storeTestDatabases,
  testStores,
} from '../../database/__testUtils__/storeFixtures';
import { DAY_MS, HOUR_MS } from '../../time';
import {
  CHECKOUT,
  d,
  LIBRARY,
  NOW,
  PAYMENTS,
  seedDoraFixture,
} from '../__testUtils__/doraFixture';
import { deploymentFacts } from './deploymentFacts';
import { doraFigures } from './doraFigures';
import { DORA_REACH_MS, doraReport } from './doraReport';
import { loadDoraRows } from './loadDoraRows';

jest.setTimeout(60_000);

const PRODUCTION = ['production', 'prod'];

const EMPTY = {
  deployments: 0,
  deploymentDays: 0,
  deploymentFrequency: 0,
  leadTimeMs: null,
  changes: 0,
  failedDeployments: 0,
  changeFailureRate: null,
  recoveryTimeMs: null,
  recoveries: 0,
  reworkDeployments: 0,
  reworkRate: null,
};

describe('DORA from the stores', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const stores = await testStores(knex);
      await emptyDatabase(knex);
      await seedDoraFixture(stores);
    });

    async function factsAsOf(refs: string[], to: number) {
      const rows = await loadDoraRows(
        knex,
        refs,
        { from: to - DORA_REACH_MS, to },
        PRODUCTION,
      );
      return deploymentFacts(rows);
    }

    it('gives checkout-api the figures worked out by hand', async () => {
      const report = doraReport(
        CHECKOUT,
        await factsAsOf([CHECKOUT], NOW),
        NOW,
      );
      const [week, month, quarter] = report.windows;

      // 30 days: D1..D4 on four days; lead times c1 4 h, c2 2 h (D1), c3 2 h (D2), c4 2 h (D4):
      // lower median of [2, 2, 2, 4] h is 2 h. Failed: D1 (I1, I2), D2 (diagnosis of c3), D4 (I3);
      // D3's diagnosis was rejected and I0 came before any deployment: 3 / 4. Recoveries: I1 3 h
      // and I2 24 h after D1 (I3 is unresolved): lower median 3 h. Rework: D3 rolls back to c2,
      // D4 ships a revert.
      expect(month.days).toBe(30);
      expect(month.current).toEqual({
        deployments: 4,
        deploymentDays: 4,
        deploymentFrequency: 0.93,
        leadTimeMs: 2 * HOUR_MS,
        changes: 4,
        failedDeployments: 3,
        changeFailureRate: 0.75,
        recoveryTimeMs: 3 * HOUR_MS,
        recoveries: 2,
        reworkDeployments: 2,
        reworkRate: 0.5,
      });
      expect(month.previous).toEqual(EMPTY);
      expect(month.bands).toEqual({
        deploymentFrequency: 'medium',
        leadTime: 'elite',
        changeFailureRate: 'low',
        recoveryTime: 'high',
        overall: 'low',
      });

      // 7 days: D4 alone; the 7 before: D2 (failed by the diagnosis) and D3 (a rollback).
      expect(week.current).toEqual({
        ...EMPTY,
        deployments: 1,
        deploymentDays: 1,
        deploymentFrequency: 1,
        leadTimeMs: 2 * HOUR_MS,
        changes: 1,
        failedDeployments: 1,
        changeFailureRate: 1,
        reworkDeployments: 1,
        reworkRate: 1,
      });
      expect(week.previous).toEqual({
        ...EMPTY,
        deployments: 2,
        deploymentDays: 2,
        deploymentFrequency: 2,
        leadTimeMs: 2 * HOUR_MS,
        changes: 1,
        failedDeployments: 1,
        changeFailureRate: 0.5,
        reworkDeployments: 1,
        reworkRate: 0.5,
      });
      expect(week.bands.recoveryTime).toBeNull();
      // The same deployments over 90 days: 4 / (90 / 7) = 0.311 days a week.
      expect(quarter.current).toEqual({
        ...month.current,
        deploymentFrequency: 0.31,
      });
      expect(quarter.previous).toEqual(EMPTY);
    });

    it('sees only what was known by the end of a window in the past', async () => {
      // Just after D2 finished and before the diagnosis naming c3 was made.
      const to = d(10, 11);
      const [week] = doraReport(
        CHECKOUT,
        await factsAsOf([CHECKOUT], to),
        to,
      ).windows;
      expect(week.current).toMatchObject({
        deployments: 1,
        failedDeployments: 0,
        changeFailureRate: 0,
      });
      // Half a day after D1, I2 is not resolved yet: only I1's 3 h.
      const early = d(20, 22);
      const [first] = doraReport(
        CHECKOUT,
        await factsAsOf([CHECKOUT], early),
        early,
      ).windows;
      expect(first.current).toMatchObject({
        deployments: 1,
        failedDeployments: 1,
        recoveryTimeMs: 3 * HOUR_MS,
        recoveries: 1,
      });
    });

    it('measures a pull request without stored commits from its merge, and pools a team', async () => {
      const facts = await factsAsOf([CHECKOUT, PAYMENTS, LIBRARY], NOW);
      const month = { from: NOW - 30 * DAY_MS, to: NOW };
      const payments = doraFigures(
        facts.filter(f => f.entityRef === PAYMENTS),
        month,
      );
      // Merged d21 00:00, deployed d20 18:00: 42 h.
      expect(payments).toMatchObject({
        deployments: 1,
        leadTimeMs: 42 * HOUR_MS,
        changes: 1,
        changeFailureRate: 0,
        recoveryTimeMs: null,
      });
      // Pooled: P1 deployed on D1's day, so still four days; lead times [2, 2, 2, 4, 42] h.
      expect(doraFigures(facts, month)).toMatchObject({
        deployments: 5,
        deploymentDays: 4,
        leadTimeMs: 2 * HOUR_MS,
        changes: 5,
        failedDeployments: 3,
        changeFailureRate: 0.6,
      });
    });

    it('has no figures and no bands for an entity without deployments', async () => {
      const report = doraReport(LIBRARY, await factsAsOf([LIBRARY], NOW), NOW);
      for (const window of report.windows) {
        expect(window.current).toEqual(EMPTY);
        expect(window.bands).toEqual({
          deploymentFrequency: null,
          leadTime: null,
          changeFailureRate: null,
          recoveryTime: null,
          overall: null,
        });
      }
    });

    it('reads in a bounded number of statements, whatever the number of entities', async () => {
      const refs = Array.from(
        { length: 1200 },
        (_, i) => `component:default/svc-${i}`,
      ).concat(CHECKOUT);
      const statements: string[] = [];
      const onQuery = (q: { sql: string }) => statements.push(q.sql);
      knex.on('query', onQuery);
      try {
        const rows = await loadDoraRows(
          knex,
          refs,
          { from: NOW - DORA_REACH_MS, to: NOW },
          PRODUCTION,
        );
        expect(rows.deployments).toHaveLength(4);
      } finally {
        knex.removeListener('query', onQuery);
      }
      // Four statements per 500 entities: 1,201 entities make three chunks.
      expect(statements).toHaveLength(12);
    });
  });
});
