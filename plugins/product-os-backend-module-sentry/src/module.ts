import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { productOsSourcesExtensionPoint } from '@internal/plugin-product-os-node';
import { readSentryConfig } from './config';
import { createSentryPullSource } from './pull';
import { createRouter } from './router';

/**
 * Product OS source module for Sentry: SDK envelopes sent straight to Backstage, the webhooks
 * of a Sentry internal integration, and a scheduled pull of issues, counts and releases from
 * Sentry's API.
 *
 * @public
 */
export const productOsModuleSentry = createBackendModule({
  pluginId: 'product-os',
  moduleId: 'sentry',
  register(env) {
    env.registerInit({
      deps: {
        sources: productOsSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        metrics: metricsServiceRef,
      },
      async init({ sources, config, logger, metrics }) {
        const sentryConfig = readSentryConfig(config);
        const routerMetrics = {
          envelopeItems: metrics.createCounter<{ type: string }>(
            'product_os.sentry.envelope_items',
            { description: 'Sentry envelope items received, by item type' },
          ),
          errorEvents: metrics.createCounter<{ outcome: string }>(
            'product_os.sentry.error_events',
            {
              description:
                'Sentry error events, by outcome (stored, duplicate, unmapped)',
            },
          ),
        };
        sources.addSource({
          id: 'sentry',
          createRouter: context =>
            createRouter({
              config: sentryConfig,
              context,
              metrics: routerMetrics,
            }),
          pull: createSentryPullSource(config),
        });
        logger.info('Sentry source configured', {
          projects: sentryConfig.projects.length,
          webhooks: Boolean(sentryConfig.webhookSecret),
          pull: Boolean(
            config.getOptionalString('productOs.sources.sentry.pull.token'),
          ),
        });
      },
    });
  },
});
