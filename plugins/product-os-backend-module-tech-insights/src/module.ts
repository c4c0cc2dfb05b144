import { createBackendModule } from '@backstage/backend-plugin-api';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import {
  createProductOsFactRetriever,
  PRODUCT_OS_FACT_RETRIEVER_ID,
} from './productOsFactRetriever';

/**
 * Adds the Product OS fact retriever to Tech Insights. Like every retriever it runs only once
 * `techInsights.factRetrievers.productOsFactRetriever` gives it a cadence.
 *
 * @public
 */
export const techInsightsModuleProductOs = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'product-os',
  register(env) {
    env.registerInit({
      deps: { providers: techInsightsFactRetrieversExtensionPoint },
      async init({ providers }) {
        providers.addFactRetrievers({
          [PRODUCT_OS_FACT_RETRIEVER_ID]: createProductOsFactRetriever(),
        });
      },
    });
  },
});
