import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Rollup } from '@internal/plugin-product-os-common';
import { Knex } from 'knex';
import { emptyDatabase } from '../__testUtils__/emptyDatabase';
import {
  storeTestDatabases,
  testStores,
} from '../database/__testUtils__/storeFixtures';
import type { ProductOsStores } from '../database/createProductOsStores';
import { EntityAccess } from '../entities/EntityAccess';
import { DEFAULT_HEALTH_WEIGHTS } from '../read/healthScore';
import { DAY_MS, HOUR_MS } from '../time';
import {
  CHECKOUT,
  d,
  LIBRARY,
  PAYMENTS,
  seedDoraFixture,
} from './__testUtils__/doraFixture';
import { LeadersService } from './LeadersService';
import { SnapshotStore } from './snapshots/SnapshotStore';
import { SnapshotWriter } from './snapshots/SnapshotWriter';

jest.setTimeout(120_000);

const COMMERCE = 'group:default/commerce';
const HEALTH = {
  weights: DEFAULT_HEALTH_WEIGHTS,
  environments: ['production'],
};

function group(name: string, children: string[] = []): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children },
  };
}

function component(ref: string, owner: string, system?: string): Entity {
  const name = ref.slice(ref.indexOf('/') + 1);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'github.com/project-slug': `acme/${name}` },
    },
    spec: {
      type: 'service',
      owner: `group:default/${owner}`,
      lifecycle: 'production',
      ...(system && { system }),
    },
  };
}

/** commerce ⊃ payments ⊃ checkout-team; the fixture's three services; one system. */
const ENTITIES: Entity[] = [
  group('commerce', ['payments']),
  group('payments', ['checkout-team']),
  group('checkout-team'),
  component(CHECKOUT, 'checkout-team', 'checkout'),
  component(PAYMENTS, 'payments'),
  component(LIBRARY, 'commerce'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'checkout', namespace: 'default' },
    spec: { owner: 'group:default/commerce' },
  },
];

/*
 * The fixture's "now" is d(0). T, the time of the reads, is d15 12:00: the 7 days of a score are
 * from d22 12:00, and hold checkout-api's D1 (d20 13:00) with I1 (d20 14:00) and I2 (d20 20:00)
 * after it, and payments-api's P1 (d20 18:00); I0 (d25) is before them. The snapshot task last
 * ran at W, two hours before T, when the same had happened.
 */
const T = d(15, 12);
const W = T - 2 * HOUR_MS;

describe('LeadersService roll-ups', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    const service = (entities: Entity[]) =>
      new LeadersService({
        knex,
        entities: new EntityAccess(catalogServiceMock({ entities })),
        snapshots: new SnapshotStore(knex),
        health: HEALTH,
        tieMargin: 5,
      });
    const writer = (entities: Entity[]) =>
      new SnapshotWriter({
        knex,
        entities: new EntityAccess(catalogServiceMock({ entities })),
        auth: mockServices.auth(),
        snapshots: new SnapshotStore(knex),
        health: HEALTH,
        logger: mockServices.logger.mock(),
      });
    const rollup = (
      entities: Entity[],
      subject = COMMERCE,
      at = T,
      kind: 'group' | 'system' = 'group',
    ) => service(entities).rollup(kind, subject, mockCredentials.user(), at);
    const counts = (r: Rollup) =>
      Object.fromEntries(
        r.members.map(m => [m.entityRef, [m.deployments, m.incidents]]),
      );
    const figures = (r: Rollup) =>
      r.dora.windows.map(w => ({
        current: w.current,
        previous: w.previous,
        bands: w.bands,
      }));
    async function statementsOf(read: () => Promise<unknown>) {
      const statements: string[] = [];
      const onQuery = (q: { sql: string }) => statements.push(q.sql);
      knex.on('query', onQuery);
      try {
        await read();
      } finally {
        knex.removeListener('query', onQuery);
      }
      return statements;
    }

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      stores = await testStores(knex);
      await emptyDatabase(knex);
      await seedDoraFixture(stores);
    });

    it("gives each service its week's deployments and incidents", async () => {
      const live = await rollup(ENTITIES);
      expect(counts(live)).toEqual({
        [CHECKOUT]: [1, 2],
        [PAYMENTS]: [1, 0],
        [LIBRARY]: [0, 0],
      });
      // Nothing stored yet: everything is computed for the read, as of it.
      expect(live.asOf).toBe(new Date(T).toISOString());
      expect(live.dora.windows[0].current.deployments).toBe(2);
    });

    it("serves today's figures from the snapshot task's rows, in the same statements whatever the number of services", async () => {
      const live = await rollup(ENTITIES);
      await writer(ENTITIES).run(W);
      const stored = await rollup(ENTITIES);
      expect(stored.asOf).toBe(new Date(W).toISOString());
      // The same figures as computing them: nothing happened between W and T.
      expect(stored.members).toEqual(live.members);
      expect(figures(stored)).toEqual(figures(live));
      expect(stored.dora.windows[0].to).toBe(new Date(W).toISOString());
      expect(stored).toMatchObject({
        score: live.score,
        openIncidents: live.openIncidents,
        openDiagnoses: live.openDiagnoses,
        diagnosesNeedingHuman: live.diagnosesNeedingHuman,
      });
      expect(stored.history).toHaveLength(90);

      // Three services, two, one: the members with their rows of today, and the roll-up's days.
      for (const [subject, kind] of [
        [COMMERCE, 'group'],
        ['group:default/payments', 'group'],
        ['system:default/checkout', 'system'],
      ] as const) {
        expect(
          await statementsOf(() => rollup(ENTITIES, subject, T, kind)),
        ).toHaveLength(2);
      }
    });

    it('says when its figures are from: a later incident waits for the next run, a day without a run is computed', async () => {
      await writer(ENTITIES).run(W);
      await stores.ingest.ingest({ source: 'pagerduty' }, async w => {
        await w.upsertIncident({
          entityRef: CHECKOUT,
          source: 'pagerduty',
          externalId: 'I9',
          title: 'Checkout I9',
          status: 'triggered',
          createdAt: W + HOUR_MS,
        });
      });
      const stored = await rollup(ENTITIES);
      expect(stored.asOf).toBe(new Date(W).toISOString());
      expect(stored.openIncidents).toBe(0);
      expect(counts(stored)[CHECKOUT]).toEqual([1, 2]);

      // The next day has no row yet: computed for the read, with I9 open.
      const tomorrow = T + DAY_MS;
      const next = await rollup(ENTITIES, COMMERCE, tomorrow);
      expect(next.asOf).toBe(new Date(tomorrow).toISOString());
      expect(next.openIncidents).toBe(1);
      expect(counts(next)[CHECKOUT]).toEqual([1, 3]);

      // A run after it counts it too.
      await writer(ENTITIES).run(T);
      const rerun = await rollup(ENTITIES);
      expect(rerun.asOf).toBe(new Date(T).toISOString());
      expect(rerun.openIncidents).toBe(1);
    });

    it('computes a service the run did not count, and then the DORA of the services the caller sees', async () => {
      await writer(ENTITIES).run(W);
      const SEARCH = 'component:default/search-api';
      const grown = [...ENTITIES, component(SEARCH, 'payments')];
      const r = await rollup(grown);
      expect(r.members.map(m => m.entityRef).sort()).toEqual(
        [CHECKOUT, LIBRARY, PAYMENTS, SEARCH].sort(),
      );
      expect(counts(r)[SEARCH]).toEqual([0, 0]);
      // Three services' figures are from W; the pooled DORA is computed now over all four.
      expect(r.asOf).toBe(new Date(W).toISOString());
      expect(r.dora.windows[0].to).toBe(new Date(T).toISOString());
      expect(r.dora.windows[0].current.deployments).toBe(2);
      // Its history is rebuilt from the members' days: no pooled DORA of other services.
      expect(r.history[0].dora).toEqual([]);
    });

    it("rebuilds the days a team's stored row counted other services, from the services it has now", async () => {
      await writer(ENTITIES).run(W);
      const shrunk = ENTITIES.filter(e => e.metadata.name !== 'payments-api');
      await writer(shrunk).run(W + HOUR_MS);
      const members = await knex('rollup_members')
        .where('subject_ref', COMMERCE)
        .pluck('member_ref');
      expect(members.sort()).toEqual([CHECKOUT, LIBRARY].sort());

      const snapshots = new SnapshotStore(knex);
      const [checkout, library] = await Promise.all(
        [CHECKOUT, LIBRARY].map(ref =>
          snapshots.history([ref], d(30), { withDora: false }),
        ),
      );
      let statements: string[] = [];
      let r: Rollup | undefined;
      statements = await statementsOf(async () => {
        r = await rollup(shrunk);
      });
      // The members with their rows, the team's days, and its members' rows of the earlier days.
      expect(statements).toHaveLength(3);
      const days = r!.history;
      expect(days).toHaveLength(90);
      // Today's row counted the two services: as stored, with its DORA.
      expect(days[89].dora).toHaveLength(3);
      // An earlier day counted three: the mean of the two services' scores that day, no DORA.
      const day = d(20);
      const earlier = days.find(h => h.day === new Date(day).toISOString())!;
      const scoreOn = (rows: typeof checkout) =>
        rows.find(s => s.dayStart === day)!.score!;
      expect(earlier.score).toBe(
        Math.round(((scoreOn(checkout) + scoreOn(library)) / 2) * 10) / 10,
      );
      expect(earlier.dora).toEqual([]);
    });
  });
});
