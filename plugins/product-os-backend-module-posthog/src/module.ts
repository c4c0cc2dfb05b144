import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { productOsSourcesExtensionPoint } from '@internal/plugin-product-os-node';
import { readPostHogConfig } from './config';
import { createPostHogPulls } from './pull/createPostHogPulls';
import { createRouter } from './router';

/**
 * Adds PostHog to Product OS: events captured by the PostHog SDKs become hourly metrics per event
 * name, and `$exception` events become error groups. With a personal API key it also pulls the
 * key metrics' hourly counts and the exceptions from PostHog's query API.
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
          pull: createPostHogPulls(settings.pull),
        });
      },
    });
  },
});
