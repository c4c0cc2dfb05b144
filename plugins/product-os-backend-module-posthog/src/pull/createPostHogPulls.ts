import { POSTHOG_PROJECT_ID_ANNOTATION } from '@internal/plugin-product-os-common';
import type { ProductOsPullSource } from '@internal/plugin-product-os-node';
import type { PostHogPullConfig } from '../config';
import { createExceptionsPull } from './pullExceptions';
import { createMetricsPull } from './pullMetrics';
import {
  PostHogQueryClient,
  PostHogQueryClientOptions,
} from './PostHogQueryClient';

/** What an admin sets to turn the pull on, shown on the pages of entities it would serve. */
export const POSTHOG_HOW_TO_CONNECT =
  'Set productOs.sources.posthog.pull.personalApiKey to a PostHog personal API key with the ' +
  'query:read scope (and pull.host for PostHog EU or self-hosted), and name the PostHog ' +
  'project of each entity with the posthog.com/project-id annotation.';

/**
 * The PostHog source's pulls: key metrics' hourly counts, and `$exception` events unless error
 * tracking is turned off. Without a personal API key it only says how to connect.
 */
export function createPostHogPulls(
  config: PostHogPullConfig | undefined,
  clientOptions: Partial<PostHogQueryClientOptions> = {},
): ProductOsPullSource {
  if (!config)
    return {
      configured: false,
      howToConnect: POSTHOG_HOW_TO_CONNECT,
      annotations: [POSTHOG_PROJECT_ID_ANNOTATION],
    };
  const client = new PostHogQueryClient({
    host: config.host,
    personalApiKey: config.personalApiKey,
    requestTimeoutMs: config.requestTimeoutMs,
    ...clientOptions,
  });
  const options = { client, backfillDays: config.backfillDays };
  return {
    configured: true,
    pulls: [
      createMetricsPull(options),
      ...(config.errorTracking ? [createExceptionsPull(options)] : []),
    ],
  };
}
