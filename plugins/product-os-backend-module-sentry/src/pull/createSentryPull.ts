import { SENTRY_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-product-os-common';
import type {
  AnnotatedEntity,
  ProductOsPullSource,
} from '@internal/plugin-product-os-node';
import {
  readSentryPullConfig,
  SENTRY_PULL_TOKEN_KEY,
  SentryPullConfig,
} from './pullConfig';
import { pullSentryProject, SentryPullDeps } from './pullProject';
import type { Config } from '@backstage/config';

/**
 * The Sentry source's pull side: with a token, one pull (`issues`) per project named by an
 * entity's `sentry.io/project-slug`; without one, how to connect it.
 */
export function createSentryPullSource(
  config: Config,
  deps: SentryPullDeps = {},
): ProductOsPullSource {
  const pullConfig = readSentryPullConfig(config);
  if (!pullConfig) {
    return {
      configured: false,
      howToConnect: `Set ${SENTRY_PULL_TOKEN_KEY} to a Sentry organization auth token (and productOs.sources.sentry.pull.baseUrl for a region or self-hosted Sentry)`,
      annotations: [SENTRY_PROJECT_SLUG_ANNOTATION],
    };
  }
  return {
    configured: true,
    pulls: [
      {
        id: 'issues',
        annotations: [SENTRY_PROJECT_SLUG_ANNOTATION],
        scopeOf: entity => projectScope(entity, pullConfig),
        schedule: {
          frequency: { minutes: 15 },
          timeout: { minutes: 10 },
          initialDelay: { minutes: 1 },
        },
        // 2,000 projects back-fill in two runs (about 28 requests each), not forty.
        scopesPerRun: pullConfig.projectsPerRun,
        concurrency: pullConfig.concurrency,
        pull: request => pullSentryProject(request, pullConfig, deps),
      },
    ],
  };
}

/** `org/slug` of the entity's project (`[org/]slug`), or undefined without an organization. */
export function projectScope(
  entity: AnnotatedEntity,
  config: Pick<SentryPullConfig, 'organization'>,
): string | undefined {
  const value = entity.annotations[SENTRY_PROJECT_SLUG_ANNOTATION]?.trim();
  if (!value) return undefined;
  const slash = value.lastIndexOf('/');
  const slug = slash < 0 ? value : value.slice(slash + 1);
  const organization = slash < 0 ? config.organization : value.slice(0, slash);
  return organization && slug ? `${organization}/${slug}` : undefined;
}
