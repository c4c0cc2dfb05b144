import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { productOsSourcesExtensionPoint } from '@internal/plugin-product-os-node';
import { readPagerDutyConfig } from './config';
import { createRouter } from './router';

/**
 * Adds PagerDuty to Product OS: incidents from V3 webhooks, and incidents and change events sent
 * to its Events API v2 endpoint.
 *
 * @public
 */
export const productOsModulePagerDuty = createBackendModule({
  pluginId: 'product-os',
  moduleId: 'pagerduty',
  register(env) {
    env.registerInit({
      deps: {
        sources: productOsSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ sources, config, logger }) {
        const settings = readPagerDutyConfig(config);
        if (settings.webhookSecrets.length === 0) {
          logger.warn(
            'productOs.sources.pagerduty.webhookSecrets is not set; PagerDuty webhooks will be refused',
          );
        }
        sources.addSource({
          id: 'pagerduty',
          createRouter: context => createRouter({ config: settings, context }),
        });
      },
    });
  },
});
