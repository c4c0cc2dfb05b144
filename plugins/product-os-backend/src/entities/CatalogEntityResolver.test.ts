import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  GITHUB_PATHS_ANNOTATION,
  GITHUB_PROJECT_SLUG_ANNOTATION,
  PAGERDUTY_SERVICE_ID_ANNOTATION,
  SENTRY_PROJECT_SLUG_ANNOTATION,
} from '@internal/plugin-product-os-common';
import { CatalogEntityResolver } from './CatalogEntityResolver';

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

describe('CatalogEntityResolver', () => {
  let entities: Entity[];
  let clock: number;
  let failNext: boolean;
  const getEntities = jest.fn();

  function createResolver(
    options: { maxAgeMs?: number; missReloadMs?: number } = {},
  ) {
    return new CatalogEntityResolver({
      // The catalog's own in-memory implementation, re-created on every call so that the test can
      // change what the catalog holds between calls.
      catalog: catalogServiceMock.mock({ getEntities }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      maxAgeMs: options.maxAgeMs ?? 60_000,
      missReloadMs: options.missReloadMs,
      now: () => clock,
    });
  }

  beforeEach(() => {
    clock = 1_000_000;
    failNext = false;
    entities = [
      component('checkout-api', {
        [SENTRY_PROJECT_SLUG_ANNOTATION]: 'acme/Checkout-API',
        [PAGERDUTY_SERVICE_ID_ANNOTATION]: 'PABC123, PDEF456',
      }),
      component('checkout-web', {
        [PAGERDUTY_SERVICE_ID_ANNOTATION]: 'pdef456',
      }),
      component('docs', { 'backstage.io/techdocs-ref': 'dir:.' }),
    ];
    getEntities.mockReset();
    getEntities.mockImplementation(async (request, options) => {
      if (failNext) {
        failNext = false;
        throw new Error('catalog unavailable');
      }
      return catalogServiceMock({ entities }).getEntities(request, options);
    });
  });

  it('answers many lookups from one catalog request, as its own service', async () => {
    const resolver = createResolver();
    expect(
      await resolver.findByAnnotation(
        SENTRY_PROJECT_SLUG_ANNOTATION,
        'acme/checkout-api',
      ),
    ).toEqual(['component:default/checkout-api']);
    expect(
      await resolver.findByAnnotation(
        SENTRY_PROJECT_SLUG_ANNOTATION,
        'acme/checkout-api',
      ),
    ).toEqual(['component:default/checkout-api']);
    expect(
      await resolver.findByAnnotation(
        SENTRY_PROJECT_SLUG_ANNOTATION,
        'ACME/CHECKOUT-API',
      ),
    ).toEqual(['component:default/checkout-api']);

    expect(getEntities).toHaveBeenCalledTimes(1);
    const [request, options] = getEntities.mock.calls[0];
    expect(Object.keys(request.filter)).toEqual([
      `metadata.annotations.${SENTRY_PROJECT_SLUG_ANNOTATION}`,
    ]);
    expect(options.credentials.principal.type).toBe('service');
  });

  it('keeps one index per annotation', async () => {
    const resolver = createResolver();
    await resolver.findByAnnotation(
      SENTRY_PROJECT_SLUG_ANNOTATION,
      'acme/checkout-api',
    );
    await resolver.findByAnnotation(PAGERDUTY_SERVICE_ID_ANNOTATION, 'PABC123');
    await resolver.findByAnnotation(PAGERDUTY_SERVICE_ID_ANNOTATION, 'PDEF456');
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('splits comma-separated values, ignoring case and spaces', async () => {
    const resolver = createResolver();
    expect(
      await resolver.findByAnnotation(
        PAGERDUTY_SERVICE_ID_ANNOTATION,
        'pabc123',
      ),
    ).toEqual(['component:default/checkout-api']);
    // Two entities claim the same service: both get the incident.
    expect(
      await resolver.findByAnnotation(
        PAGERDUTY_SERVICE_ID_ANNOTATION,
        ' PDEF456 ',
      ),
    ).toEqual([
      'component:default/checkout-api',
      'component:default/checkout-web',
    ]);
    expect(
      await resolver.findByAnnotation(
        PAGERDUTY_SERVICE_ID_ANNOTATION,
        'PABC123, PDEF456',
      ),
    ).toEqual([]);
  });

  it('gives the entities with all their annotations, for narrowing a monorepo by paths', async () => {
    entities.push(
      component('cart', {
        [GITHUB_PROJECT_SLUG_ANNOTATION]: 'acme/monorepo',
        [GITHUB_PATHS_ANNOTATION]: 'services/cart/',
      }),
      component('billing', {
        [GITHUB_PROJECT_SLUG_ANNOTATION]: 'Acme/Monorepo',
        [GITHUB_PATHS_ANNOTATION]: 'services/billing/,libs/money/',
      }),
    );
    const resolver = createResolver();
    expect(
      await resolver.findEntitiesByAnnotation(
        GITHUB_PROJECT_SLUG_ANNOTATION,
        'acme/monorepo',
      ),
    ).toEqual([
      {
        entityRef: 'component:default/cart',
        annotations: {
          [GITHUB_PROJECT_SLUG_ANNOTATION]: 'acme/monorepo',
          [GITHUB_PATHS_ANNOTATION]: 'services/cart/',
        },
      },
      {
        entityRef: 'component:default/billing',
        annotations: {
          [GITHUB_PROJECT_SLUG_ANNOTATION]: 'Acme/Monorepo',
          [GITHUB_PATHS_ANNOTATION]: 'services/billing/,libs/money/',
        },
      },
    ]);
    expect(
      await resolver.findByAnnotation(
        GITHUB_PROJECT_SLUG_ANNOTATION,
        'acme/monorepo',
      ),
    ).toEqual(['component:default/cart', 'component:default/billing']);
    expect(getEntities).toHaveBeenCalledTimes(1);
  });

  it('reloads for an unknown value at most once per missReloadMs', async () => {
    const resolver = createResolver({ missReloadMs: 5_000 });
    const find = (value: string) =>
      resolver.findByAnnotation(PAGERDUTY_SERVICE_ID_ANNOTATION, value);

    expect(await find('PNEW999')).toEqual([]);
    expect(getEntities).toHaveBeenCalledTimes(1); // the first load, just done: no reload

    clock += 1_000;
    expect(await find('PNEW999')).toEqual([]);
    expect(getEntities).toHaveBeenCalledTimes(1);

    // The entity is registered; until missReloadMs has passed since the last load, the resolver
    // does not look.
    entities.push(
      component('new-service', {
        [PAGERDUTY_SERVICE_ID_ANNOTATION]: 'PNEW999',
      }),
    );
    clock += 3_999;
    expect(await find('PNEW999')).toEqual([]);
    expect(getEntities).toHaveBeenCalledTimes(1);

    clock += 1;
    expect(await find('PNEW999')).toEqual(['component:default/new-service']);
    expect(getEntities).toHaveBeenCalledTimes(2);

    // Known values never reload before maxAge.
    clock += 10_000;
    expect(await find('PABC123')).toEqual(['component:default/checkout-api']);
    expect(getEntities).toHaveBeenCalledTimes(2);

    // Another unknown value reloads once, then waits again.
    expect(await find('PUNKNOWN')).toEqual([]);
    expect(await find('PUNKNOWN')).toEqual([]);
    expect(await find('POTHER')).toEqual([]);
    expect(getEntities).toHaveBeenCalledTimes(3);
  });

  it('makes one catalog request for a burst of concurrent lookups of an unknown value', async () => {
    const resolver = createResolver({ missReloadMs: 5_000 });
    await resolver.findByAnnotation(PAGERDUTY_SERVICE_ID_ANNOTATION, 'PABC123');
    expect(getEntities).toHaveBeenCalledTimes(1);

    clock += 6_000;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        resolver.findByAnnotation(PAGERDUTY_SERVICE_ID_ANNOTATION, 'PNEW999'),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, () => []));
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('makes one catalog request for concurrent first lookups', async () => {
    const resolver = createResolver();
    await Promise.all([
      resolver.findByAnnotation(PAGERDUTY_SERVICE_ID_ANNOTATION, 'PABC123'),
      resolver.findByAnnotation(PAGERDUTY_SERVICE_ID_ANNOTATION, 'PDEF456'),
      resolver.findByAnnotation(PAGERDUTY_SERVICE_ID_ANNOTATION, 'PNEW999'),
    ]);
    expect(getEntities).toHaveBeenCalledTimes(1);
  });

  it('follows the catalog once the index is maxAgeMs old', async () => {
    const resolver = createResolver({ maxAgeMs: 60_000 });
    const find = () =>
      resolver.findByAnnotation(PAGERDUTY_SERVICE_ID_ANNOTATION, 'PABC123');
    expect(await find()).toEqual(['component:default/checkout-api']);

    // The annotation is removed from the entity: known values keep their answer until maxAge.
    entities[0] = component('checkout-api', {});
    clock += 59_999;
    expect(await find()).toEqual(['component:default/checkout-api']);
    expect(getEntities).toHaveBeenCalledTimes(1);

    clock += 1;
    expect(await find()).toEqual([]);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('passes a catalog failure on when there is no index yet, and tries again next time', async () => {
    const resolver = createResolver();
    failNext = true;
    await expect(
      resolver.findByAnnotation(PAGERDUTY_SERVICE_ID_ANNOTATION, 'PABC123'),
    ).rejects.toThrow('catalog unavailable');
    expect(
      await resolver.findByAnnotation(
        PAGERDUTY_SERVICE_ID_ANNOTATION,
        'PABC123',
      ),
    ).toEqual(['component:default/checkout-api']);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('keeps serving the previous index when a refresh fails', async () => {
    const resolver = createResolver({ maxAgeMs: 60_000 });
    const find = () =>
      resolver.findByAnnotation(PAGERDUTY_SERVICE_ID_ANNOTATION, 'PABC123');
    await find();

    clock += 60_000;
    failNext = true;
    expect(await find()).toEqual(['component:default/checkout-api']);
    expect(getEntities).toHaveBeenCalledTimes(2);
    // The failed refresh counts as a load: the catalog is not asked on every delivery.
    expect(await find()).toEqual(['component:default/checkout-api']);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });
});
