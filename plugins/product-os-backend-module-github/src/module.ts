import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-product-os-common';
import { productOsSourcesExtensionPoint } from '@internal/plugin-product-os-node';
import { readGitHubSourceConfig } from './config';
import { createGitHubPull, GitHubApi, readGitHubPullConfig } from './pull';
import { createRouter } from './router';

/**
 * Product OS source module for GitHub: stores pushes, pull requests, deployments, releases and
 * workflow runs that GitHub webhooks deliver to `POST /api/product-os/github/webhook`, and pulls
 * the same from GitHub's API with the credentials of `integrations.github`.
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
        logger: coreServices.logger,
      },
      async init({ sources, config, logger }) {
        const githubConfig = readGitHubSourceConfig(config);
        const pullConfig = readGitHubPullConfig(config);
        const api = GitHubApi.fromConfig(config, {
          host: pullConfig.host,
          logger,
        });
        sources.addSource({
          id: 'github',
          createRouter: context =>
            createRouter({ config: githubConfig, context }),
          pull: api
            ? {
                configured: true,
                pulls: [createGitHubPull({ api, config: pullConfig, logger })],
              }
            : {
                configured: false,
                howToConnect:
                  'Add a token or a GitHub App under integrations.github in app-config.local.yaml (e.g. integrations.github[0].token: ${GITHUB_TOKEN})',
                annotations: [GITHUB_PROJECT_SLUG_ANNOTATION],
              },
        });
      },
    });
  },
});
