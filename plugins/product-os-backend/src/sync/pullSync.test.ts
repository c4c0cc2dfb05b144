import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntitySyncStatus,
  POSTHOG_PROJECT_KEY_ANNOTATION,
  SENTRY_PROJECT_SLUG_ANNOTATION,
} from '@internal/plugin-product-os-common';
import {
  ProductOsPull,
  ProductOsSource,
  productOsSourcesExtensionPoint,
  PullResult,
  recordsFor,
} from '@internal/plugin-product-os-node';
import type { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import { emptyDatabase } from '../__testUtils__/emptyDatabase';
import { startProductOsBackend } from '../__testUtils__/productOsBackend';

jest.setTimeout(60_000);

const SLUG = SENTRY_PROJECT_SLUG_ANNOTATION;
const VIEWER = 'user:default/viewer';

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/payments',
      lifecycle: 'production',
    },
  };
}

/** `n` components over about three quarters as many Sentry projects (pairs share one). */
function catalogOf(n: number): Entity[] {
  return Array.from({ length: n }, (_, i) =>
    component(`service-${i}`, {
      [SLUG]: `acme/project-${i % 4 === 1 ? i - 1 : i}`,
    }),
  );
}

/**
 * A Sentry-like pull as a module writes one: each project has two releases, written through
 * the store for every entity of the scope; it counts what is in flight, and may be told to fail
 * or to wait for the test.
 */
function releasesPull(overrides: Partial<ProductOsPull> = {}) {
  const probe = {
    inFlight: 0,
    maxInFlight: 0,
    pulled: [] as string[],
    failing: new Set<string>(),
    hold: undefined as Promise<void> | undefined,
  };
  const pull: ProductOsPull = {
    id: 'releases',
    annotations: [SLUG],
    scopeOf: e => e.annotations[SLUG],
    schedule: { frequency: { minutes: 15 }, timeout: { minutes: 5 } },
    scopesPerRun: 500,
    concurrency: 4,
    async pull({ scope, cursor, entities, store, now }): Promise<PullResult> {
      probe.inFlight += 1;
      probe.maxInFlight = Math.max(probe.maxInFlight, probe.inFlight);
      try {
        probe.pulled.push(scope);
        await probe.hold;
        if (probe.failing.has(scope))
          throw new Error(`Sentry answered 502 Bad Gateway for ${scope}`);
        await store.ingest({ source: 'sentry' }, writer =>
          writer.upsertChangeEvents(
            recordsFor(
              entities.map(e => e.entityRef),
              [1, 2].map(r => ({
                source: 'sentry' as const,
                kind: 'release' as const,
                externalId: `${scope}@1.${r}.0`,
                title: `Release 1.${r}.0`,
                occurredAt: Date.UTC(2026, 10, 20, r),
              })),
            ),
          ),
        );
        // The run's clock reaches the pull.
        expect(now).toBeGreaterThan(0);
        return { cursor: String(Number(cursor ?? 0) + 1), items: 2 };
      } finally {
        probe.inFlight -= 1;
      }
    },
    ...overrides,
  };
  return { pull, probe };
}

const unconfiguredPosthog: ProductOsSource = {
  id: 'posthog',
  pull: {
    configured: false,
    howToConnect: 'Set productOs.posthog.pull.personalApiKey and projectId',
    annotations: [POSTHOG_PROJECT_KEY_ANNOTATION],
  },
};

function sourcesModule(...sources: ProductOsSource[]) {
  return createBackendModule({
    pluginId: 'product-os',
    moduleId: 'test-pulls',
    register(env) {
      env.registerInit({
        deps: { extension: productOsSourcesExtensionPoint },
        async init({ extension }) {
          sources.forEach(s => extension.addSource(s));
        },
      });
    },
  });
}

/** Everyone may read; the viewer may not sync. */
const viewerMayNotSync = (permission: string, user: string | undefined) =>
  permission === 'product-os.entity.sync' && user === VIEWER;

describe('pull sync', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    beforeAll(async () => {
      knex = await databases.init(databaseId);
    });
    beforeEach(async () => {
      // The tests share one database per engine; each starts without rows of the others.
      await emptyDatabase(knex);
    });

    async function start(options: {
      entities: Entity[];
      sources: ProductOsSource[];
      productOs?: JsonObject;
    }) {
      const { backend, scheduler } = await startProductOsBackend({
        database: knex,
        features: [sourcesModule(...options.sources)],
        productOs: options.productOs,
        catalog: options.entities,
        denies: viewerMayNotSync,
        manualTasks: true,
      });
      return { ...backend, scheduler };
    }

    const releaseRows = () =>
      knex('change_events')
        .where({ source: 'sentry', kind: 'release' })
        .select('entity_ref', 'external_id');

    it('a sync for 2,000 entities completes with bounded concurrency and no duplicate rows', async () => {
      const entities = catalogOf(2000);
      const { pull, probe } = releasesPull();
      const source: ProductOsSource = {
        id: 'sentry',
        pull: { configured: true, pulls: [pull] },
      };
      const { scheduler } = await start({ entities, sources: [source] });

      // 1,500 projects, 500 a run: three runs pull every one once.
      for (let run = 0; run < 3; run++)
        await scheduler.triggerTask('product-os.sentry.releases');
      expect(probe.pulled).toHaveLength(1500);
      expect(new Set(probe.pulled).size).toBe(1500);
      expect(probe.maxInFlight).toBeGreaterThan(1);
      expect(probe.maxInFlight).toBeLessThanOrEqual(4);

      const rows = await releaseRows();
      expect(rows).toHaveLength(4000);
      expect(
        new Set(rows.map(r => `${r.entity_ref} ${r.external_id}`)).size,
      ).toBe(4000);
      const states = await knex('sync_state').where({ source: 'sentry' });
      expect(states).toHaveLength(1500);
      expect(states.every(s => s.cursor === '1' && s.last_error === null)).toBe(
        true,
      );

      // Two runs over the same data give the same rows.
      for (let run = 0; run < 3; run++)
        await scheduler.triggerTask('product-os.sentry.releases');
      expect(probe.pulled).toHaveLength(3000);
      expect(await releaseRows()).toHaveLength(4000);
      const again = await knex('sync_state').where({ source: 'sentry' });
      expect(again.every(s => s.cursor === '2')).toBe(true);
    });

    it('a failing scope keeps its cursor and its stored data, and the API shows the reason', async () => {
      const entities = [
        component('checkout-api', { [SLUG]: 'acme/checkout' }),
        component('checkout-worker', { [SLUG]: 'acme/checkout' }),
        component('search', { [SLUG]: 'acme/search' }),
        component('storefront', { [POSTHOG_PROJECT_KEY_ANNOTATION]: 'phc_x' }),
      ];
      const { pull, probe } = releasesPull();
      const { scheduler, server } = await start({
        entities,
        sources: [
          { id: 'sentry', pull: { configured: true, pulls: [pull] } },
          unconfiguredPosthog,
        ],
        productOs: {
          sources: {
            sentry: {
              pull: {
                releases: {
                  schedule: {
                    frequency: { minutes: 5 },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
          },
        },
      });
      await scheduler.triggerTask('product-os.sentry.releases');
      probe.failing.add('acme/checkout');
      await scheduler.triggerTask('product-os.sentry.releases');

      expect(await releaseRows()).toHaveLength(6);
      const state = await knex('sync_state')
        .where({ source: 'sentry', scope: 'releases:acme/checkout' })
        .first();
      expect(state).toMatchObject({
        cursor: '1',
        last_error: 'Sentry answered 502 Bad Gateway for acme/checkout',
      });

      const status = await request(server).get(
        '/api/product-os/entities/component/default/checkout-worker/sync',
      );
      expect(status.status).toBe(200);
      const body: EntitySyncStatus = status.body;
      expect(body.entityRef).toBe('component:default/checkout-worker');
      expect(body.sources).toHaveLength(1);
      const [sentry] = body.sources;
      expect(sentry).toMatchObject({ source: 'sentry', configured: true });
      const [releases] = sentry.configured ? sentry.pulls : [];
      expect(releases).toMatchObject({
        pullId: 'releases',
        scope: 'acme/checkout',
        lastError: 'Sentry answered 502 Bad Gateway for acme/checkout',
        items: 2,
      });
      // The configured schedule (every 5 minutes) after the last attempt; one run reaches all.
      expect(
        Date.parse(releases.nextRunAt!) - Date.parse(releases.lastErrorAt!),
      ).toBe(5 * 60_000);
      expect(Date.parse(releases.lastSuccessAt!)).toBeLessThanOrEqual(
        Date.parse(releases.lastErrorAt!),
      );

      const storefront = await request(server).get(
        '/api/product-os/entities/component/default/storefront/sync',
      );
      expect(storefront.body).toEqual({
        entityRef: 'component:default/storefront',
        sources: [
          {
            source: 'posthog',
            configured: false,
            howToConnect:
              'Set productOs.posthog.pull.personalApiKey and projectId',
          },
        ],
      });
    });

    it('syncs one entity now, with permission, once at a time', async () => {
      const entities = [
        component('checkout-api', { [SLUG]: 'acme/checkout' }),
        component('search', { [SLUG]: 'acme/search' }),
      ];
      const { pull, probe } = releasesPull();
      const { server } = await start({
        entities,
        sources: [{ id: 'sentry', pull: { configured: true, pulls: [pull] } }],
      });
      const path =
        '/api/product-os/entities/component/default/checkout-api/sync';

      const denied = await request(server)
        .post(path)
        .set('Authorization', mockCredentials.user.header(VIEWER));
      expect(denied.status).toBe(403);
      expect(probe.pulled).toEqual([]);

      let release!: () => void;
      probe.hold = new Promise(resolve => (release = resolve));
      const first = request(server)
        .post(path)
        .then(res => res);
      while (probe.pulled.length === 0) await new Promise(r => setImmediate(r));
      const second = await request(server).post(path);
      expect(second.status).toBe(409);
      expect(second.body.error.message).toMatch(/already running/);
      release();
      const done = await first;
      expect(done.status).toBe(200);
      // Only the entity's own project was pulled, not the organisation's.
      expect(probe.pulled).toEqual(['acme/checkout']);
      expect(done.body.sources[0].pulls[0]).toMatchObject({
        scope: 'acme/checkout',
        items: 2,
      });
      expect(done.body.sources[0].pulls[0].lastSuccessAt).toEqual(
        expect.any(String),
      );

      const missing = await request(server).get(
        '/api/product-os/entities/component/default/nothing-here/sync',
      );
      expect(missing.status).toBe(404);
    });
  });
});
