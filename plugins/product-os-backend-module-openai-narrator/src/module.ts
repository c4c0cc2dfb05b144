import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { productOsNarratorExtensionPoint } from '@internal/plugin-product-os-node';
import { readOpenAiNarratorConfig } from './config';
import { OpenAiCompatibleNarrator } from './OpenAiCompatibleNarrator';

/**
 * Narrates diagnosis summaries with an OpenAI-compatible endpoint when
 * `productOs.narrator.openai` is configured; without it, it does nothing.
 *
 * @public
 */
export const productOsModuleOpenAiNarrator = createBackendModule({
  pluginId: 'product-os',
  moduleId: 'openai-narrator',
  register(env) {
    env.registerInit({
      deps: {
        narrators: productOsNarratorExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ narrators, config, logger }) {
        const settings = readOpenAiNarratorConfig(config);
        if (!settings) {
          logger.info(
            'productOs.narrator.openai is not configured; diagnosis summaries stay deterministic',
          );
          return;
        }
        narrators.setNarrator(new OpenAiCompatibleNarrator(settings));
        logger.info(
          'Diagnosis summaries are narrated by an OpenAI-compatible endpoint',
          {
            baseUrl: settings.baseUrl,
            model: settings.model,
          },
        );
      },
    });
  },
});
