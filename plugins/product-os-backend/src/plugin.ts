import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { productOsPermissions } from '@internal/plugin-product-os-common';
import {
  ProductOsSource,
  productOsSourcesExtensionPoint,
} from '@internal/plugin-product-os-node';
import { readProductOsConfig } from './config';
import { DatabaseProductOsStore } from './database/DatabaseProductOsStore';
import { CatalogEntityResolver } from './entities/CatalogEntityResolver';
import { EntityAccess } from './entities/EntityAccess';
import { scheduleRetention } from './retention/scheduleRetention';
import { createRouter } from './service/router';
import { IngestSignals } from './sources/IngestSignals';
import { mountSources } from './sources/mountSources';

/**
 * Product OS backend plugin: the store, the read API, the vendor-facing routes of the source
 * modules and their scheduled syncs.
 *
 * @public
 */
export const productOsPlugin = createBackendPlugin({
  pluginId: 'product-os',
  register(env) {
    const sources: ProductOsSource[] = [];
    env.registerExtensionPoint(productOsSourcesExtensionPoint, {
      addSource(source) {
        sources.push(source);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { logger, httpRouter, scheduler, catalog, auth } = deps;
        const config = readProductOsConfig(deps.config);
        deps.permissionsRegistry.addPermissions(productOsPermissions);

        const store = await DatabaseProductOsStore.create({
          database: deps.database,
          sampleSize: config.errorSampleSize,
        });
        const signals = new IngestSignals();
        const resolver = new CatalogEntityResolver({
          catalog,
          auth,
          logger,
          maxAgeMs: config.entityCacheMs,
        });

        const sourcesRouter = await mountSources({
          sources,
          context: { store, entities: resolver, notifier: signals },
          logger,
          httpRouter,
          scheduler,
        });
        await scheduleRetention({ store, scheduler, logger, retention: config.retention });

        httpRouter.use(
          await createRouter({
            store,
            entities: new EntityAccess(catalog),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            sourcesRouter,
          }),
        );
      },
    });
  },
});
