import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { productOsSourcesExtensionPoint } from '@internal/plugin-product-os-node';
import { readPagerDutyConfig } from './config';
import { createPagerDutyPull } from './pull/createIncidentsPull';
import { createRouter } from './router';

/**
 * Adds PagerDuty to Product OS: incidents from V3 webhooks, incidents and change events sent to
 * its Events API v2 endpoint, and (with a REST API key) a pull of every incident, its log and the
 * change events of each entity's services.
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
          pull: createPagerDutyPull(settings.pull),
        });
      },
    });
  },
});
