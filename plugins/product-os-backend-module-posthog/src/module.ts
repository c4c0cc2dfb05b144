import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { productOsSourcesExtensionPoint } from '@internal/plugin-product-os-node';
import { readPostHogConfig } from './config';
import { createRouter } from './router';

/**
 * Adds PostHog to Product OS: events captured by the PostHog SDKs become hourly metrics per event
 * name, and `$exception` events become error groups.
 *
 * @public
 */
export const productOsModulePostHog = createBackendModule({
  pluginId: 'product-os',
  moduleId: 'posthog',
  register(env) {
    env.registerInit({
      deps: {
        sources: productOsSourcesExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ sources, config }) {
        const settings = readPostHogConfig(config);
        sources.addSource({
          id: 'posthog',
          createRouter: context => createRouter({ config: settings, context }),
        });
      },
    });
  },
});
