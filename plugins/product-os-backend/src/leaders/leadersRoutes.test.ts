import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Rollup } from '@internal/plugin-product-os-common';
import { Knex } from 'knex';
import request from 'supertest';
import { catalogHiding } from '../__testUtils__/catalogHiding';
import {
  ProductOsTestBackend,
  startProductOsBackend,
} from '../__testUtils__/productOsBackend';
import { createProductOsStores } from '../database/createProductOsStores';
import { EntityAccess } from '../entities/EntityAccess';
import { DAY_MS } from '../time';
import {
  CHECKOUT,
  LIBRARY,
  PAYMENTS,
  seedDoraFixture,
} from './__testUtils__/doraFixture';
import { DEFAULT_HEALTH_WEIGHTS } from '../read/healthScore';
import { SnapshotStore } from './snapshots/SnapshotStore';
import { SnapshotWriter } from './snapshots/SnapshotWriter';

jest.setTimeout(120_000);

const OUTSIDER = 'user:default/outsider';
const DENIED = 'user:default/denied';

function group(name: string, parent?: string, children: string[] = []): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children, ...(parent && { parent }) },
    relations: [
      ...(parent
        ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
        : []),
      ...children.map(child => ({
        type: 'parentOf',
        targetRef: `group:default/${child}`,
      })),
    ],
  };
}

function component(name: string, owner: string, system?: string): Entity {
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
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

/** commerce ⊃ payments ⊃ checkout-team, three levels; one domain with two systems. */
const entities: Entity[] = [
  group('commerce', undefined, ['payments']),
  group('payments', 'commerce', ['checkout-team']),
  group('checkout-team', 'payments'),
  // A team without services.
  group('platform'),
  component('checkout-api', 'checkout-team', 'checkout'),
  component('payments-api', 'payments', 'payments'),
  component('money-lib', 'commerce'),
  ...['checkout', 'payments'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name, namespace: 'default' },
    spec: { owner: 'group:default/commerce', domain: 'commerce-domain' },
  })),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'commerce-domain', namespace: 'default' },
    spec: { owner: 'group:default/commerce' },
  },
];

describe('leaders routes', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let server: any;
    let testBackend: ProductOsTestBackend;
    // The day the fixture is seeded for: today, since the routes read up to the present.
    const now = Date.now();

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      await seedDoraFixture(stores, now);
      testBackend = await startProductOsBackend({
        database: knex,
        // The outsider cannot see payments-api, as a catalog permission policy would hide it.
        catalog: catalogHiding(
          entities,
          (entityRef, user) => user === OUTSIDER && entityRef === PAYMENTS,
        ),
        denies: (permission, user) =>
          permission === 'product-os.entity.read' && user === DENIED,
        // Snapshots are written when the test says, not on the schedule.
        manualTasks: true,
      });
      server = testBackend.server;
    });

    afterAll(() => testBackend?.stop());

    const api = (path: string, user = 'user:default/mona') =>
      request(server)
        .get(`/api/product-os${path}`)
        .set('Authorization', mockCredentials.user.header(user));

    it("gives an entity's DORA over 7, 30 and 90 days", async () => {
      const res = await api('/entities/component/default/checkout-api/dora');
      expect(res.status).toBe(200);
      expect(res.body.subjectRef).toBe(CHECKOUT);
      expect(res.body.windows.map((w: { days: number }) => w.days)).toEqual([
        7, 30, 90,
      ]);
      expect(res.body.windows[1].current).toMatchObject({
        deployments: 4,
        changeFailureRate: 0.75,
        reworkDeployments: 2,
      });
      expect(res.body.windows[1].bands.changeFailureRate).toBe('low');
      expect(
        (await api('/entities/component/default/payments-api/dora', OUTSIDER))
          .status,
      ).toBe(404);
      expect(
        (await api('/entities/component/default/checkout-api/dora', DENIED))
          .status,
      ).toBe(403);
    });

    it('rolls a group up with every group below it, ranked with ties inside the margin', async () => {
      const res = await api('/rollups/group/default/commerce');
      expect(res.status).toBe(200);
      const rollup: Rollup = res.body;
      expect(rollup.groups).toEqual([
        'group:default/checkout-team',
        'group:default/commerce',
        'group:default/payments',
      ]);
      expect(rollup.members.map(m => m.entityRef).sort()).toEqual(
        [CHECKOUT, LIBRARY, PAYMENTS].sort(),
      );
      // checkout-api has an open incident (I3); payments-api and money-lib nothing: they tie.
      expect(rollup.members.map(m => [m.entityRef, m.rank])).toEqual([
        [CHECKOUT, 1],
        [LIBRARY, 2],
        [PAYMENTS, 2],
      ]);
      expect(rollup.tieMargin).toBe(5);
      expect(rollup.openIncidents).toBe(1);
      expect(rollup.openDiagnoses).toBe(1);
      // The team's DORA pools its services: five deployments over 30 days, three failed.
      expect(rollup.dora.windows[1].current).toMatchObject({
        deployments: 5,
        failedDeployments: 3,
        changeFailureRate: 0.6,
      });
    });

    it('takes sub-groups transitively and counts only what the caller may see', async () => {
      const payments: Rollup = (await api('/rollups/group/default/payments'))
        .body;
      expect(payments.members.map(m => m.entityRef).sort()).toEqual(
        [CHECKOUT, PAYMENTS].sort(),
      );
      const outsider: Rollup = (
        await api('/rollups/group/default/commerce', OUTSIDER)
      ).body;
      expect(outsider.members.map(m => m.entityRef)).not.toContain(PAYMENTS);
      expect(outsider.dora.windows[1].current.deployments).toBe(4);
    });

    it('rolls up a system and a domain', async () => {
      const system: Rollup = (await api('/rollups/system/default/checkout'))
        .body;
      expect(system.members.map(m => m.entityRef)).toEqual([CHECKOUT]);
      const domain: Rollup = (
        await api('/rollups/domain/default/commerce-domain')
      ).body;
      expect(domain.members.map(m => m.entityRef).sort()).toEqual(
        [CHECKOUT, PAYMENTS].sort(),
      );
    });

    it('refuses a roll-up of another kind, and one of nothing', async () => {
      const other = await api('/rollups/component/default/checkout-api');
      expect(other.status).toBe(400);
      expect(other.body.error.message).toMatch(/group, a system or a domain/);
      expect((await api('/rollups/group/default/nobody')).status).toBe(404);
      const none: Rollup = (await api('/rollups/group/default/platform')).body;
      expect(none).toMatchObject({
        groups: ['group:default/platform'],
        score: null,
        members: [],
        openIncidents: 0,
        openDiagnoses: 0,
        history: [],
      });
      expect(none.dora.windows[2].current).toMatchObject({
        deployments: 0,
        changeFailureRate: null,
      });
      expect(none.dora.windows[2].bands.overall).toBeNull();
      const empty: Rollup = (
        await api('/rollups/group/default/checkout-team', OUTSIDER)
      ).body;
      expect(empty.members.map(m => m.entityRef)).toEqual([CHECKOUT]);
    });

    it('writes 90 days of snapshots once, idempotently, and serves them as history', async () => {
      const snapshots = new SnapshotStore(knex);
      const writer = new SnapshotWriter({
        knex,
        entities: new EntityAccess(catalogServiceMock({ entities })),
        auth: mockServices.auth(),
        snapshots,
        health: {
          weights: DEFAULT_HEALTH_WEIGHTS,
          environments: ['production'],
        },
        logger: mockServices.logger.mock(),
      });
      // Three components, four groups, two systems, one domain: ten subjects, 90 days each.
      expect(await writer.run(now)).toEqual({ days: 90, rows: 900 });
      const count = async () =>
        Number((await knex('health_snapshots').count({ n: '*' }))[0].n);
      expect(await count()).toBe(900);
      // A second run rewrites today only; a second instance running at once writes the same rows.
      expect(
        await Promise.all([writer.run(now + 1000), writer.run(now + 2000)]),
      ).toEqual([
        { days: 1, rows: 10 },
        { days: 1, rows: 10 },
      ]);
      expect(await count()).toBe(900);

      const history = await api(
        '/entities/component/default/checkout-api/health/history',
      );
      expect(history.status).toBe(200);
      expect(history.body.items).toHaveLength(90);
      const today = Math.floor(now / DAY_MS) * DAY_MS;
      const dayOf = (daysBefore: number) =>
        history.body.items.find(
          (h: { day: string }) =>
            h.day === new Date(today - daysBefore * DAY_MS).toISOString(),
        );
      const openIncidents = (daysBefore: number) =>
        dayOf(daysBefore).inputs.find(
          (i: { name: string }) => i.name === 'openIncidents',
        );
      // I3 was created on day 5 at 13:00 and never resolved: open from the end of that day.
      expect(openIncidents(6)).toMatchObject({ value: 0, penalty: 0 });
      expect(openIncidents(5)).toMatchObject({ value: 1, penalty: 25 });
      // The 7-day DORA window at the end of day 20 holds D1; at the end of day 21 nothing.
      expect(dayOf(20).dora[0].current.deployments).toBe(1);
      expect(dayOf(21).dora[0].current.deployments).toBe(0);

      const team: Rollup = (await api('/rollups/group/default/commerce')).body;
      expect(team.history).toHaveLength(90);
      expect(team.history[team.history.length - 1].dora).toHaveLength(3);
      // The outsider does not see payments-api: the team's stored DORA is not shown to them.
      const outsider: Rollup = (
        await api('/rollups/group/default/commerce', OUTSIDER)
      ).body;
      expect(outsider.history).toHaveLength(90);
      expect(outsider.history[0].dora).toEqual([]);
    });
  });
});
