import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { productOsSourcesExtensionPoint } from '@internal/plugin-product-os-node';
import { readGitHubSourceConfig } from './config';
import { createRouter } from './router';

/**
 * Product OS source module for GitHub: stores pushes, pull requests, deployments, releases and
 * workflow runs that GitHub webhooks deliver to `POST /api/product-os/github/webhook`.
 *
 * @public
 */
export const productOsModuleGithub = createBackendModule({
  pluginId: 'product-os',
  moduleId: 'github',
  register(env) {
    env.registerInit({
      deps: {
        sources: productOsSourcesExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ sources, config }) {
        const githubConfig = readGitHubSourceConfig(config);
        sources.addSource({
          id: 'github',
          createRouter: context =>
            createRouter({ config: githubConfig, context }),
        });
      },
    });
  },
});
