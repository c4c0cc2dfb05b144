import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readDemoConfig } from './config';
import { DemoRunner } from './DemoRunner';

/**
 * The Product OS demo: example services that report to this backend through the real Sentry,
 * PostHog, GitHub and PagerDuty clients. Does nothing unless `productOs.demo.enabled` is true.
 *
 * @public
 */
export const productOsModuleDemo = createBackendModule({
  pluginId: 'product-os',
  moduleId: 'demo',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        database: coreServices.database,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        lifecycle,
        auth,
        discovery,
        database,
        catalog,
      }) {
        const demo = readDemoConfig(config);
        if (!demo) return;
        logger.warn(
          'The Product OS demo is enabled: example services send demo data to this backend',
        );
        const runner = new DemoRunner({
          config: demo,
          logger,
          catalog,
          auth,
          discovery,
          knex: await database.getClient(),
        });
        lifecycle.addStartupHook(() => {
          // In the background: the backend must not wait for days of history to be sent.
          runner
            .start()
            .catch(error =>
              logger.error(`The Product OS demo stopped: ${error}`),
            );
        });
        lifecycle.addShutdownHook(() => runner.stop());
      },
    });
  },
});
