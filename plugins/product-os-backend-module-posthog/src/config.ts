import { Config } from '@backstage/config';
import {
  BodyLimits,
  DEFAULT_BODY_LIMITS,
} from '@internal/plugin-product-os-node';

/**
 * How large a capture request may inflate to. PostHog itself takes up to 20 MiB, but parsing
 * that much JSON holds Node's event loop for hundreds of milliseconds, during which no other
 * Backstage route answers; 2 MiB parses in 11–18 ms of CPU. The SDKs' batches are far smaller
 * (posthog-node: 100 events; posthog-js: a few seconds of events), posthog-node halves its batch
 * when it gets a 413, and a single PostHog event is at most 1 MB.
 */
export const POSTHOG_DECOMPRESSED_LIMIT = 2 * 1024 * 1024;

/** PostHog Cloud's US region, where a pull goes unless `pull.host` says otherwise. */
export const POSTHOG_US_HOST = 'https://us.posthog.com';

/** How the pull reaches PostHog's query API; absent while no personal API key is set. */
export interface PostHogPullConfig {
  personalApiKey: string;
  /** The app host (`https://us.posthog.com`, `https://eu.posthog.com` or self-hosted), no slash at the end. */
  host: string;
  /** Days of hourly counts (and exceptions) the first pull of a project fetches. */
  backfillDays: number;
  /** One request's deadline, ms. */
  requestTimeoutMs: number;
  /** Whether `$exception` events are pulled as error groups. */
  errorTracking: boolean;
}

/** The PostHog source's settings, with every default in this one place. */
export interface PostHogSourceConfig {
  rateLimitPerMinute: number;
  bodyLimits: BodyLimits;
  pull?: PostHogPullConfig;
}

export function readPostHogConfig(config: Config): PostHogSourceConfig {
  const source = config.getOptionalConfig('productOs.sources.posthog');
  const bodyLimits = source?.getOptionalConfig('bodyLimits');
  return {
    rateLimitPerMinute: source?.getOptionalNumber('rateLimitPerMinute') ?? 1200,
    bodyLimits: {
      limit:
        bodyLimits?.getOptionalNumber('compressedBytes') ??
        DEFAULT_BODY_LIMITS.limit,
      decompressedLimit:
        bodyLimits?.getOptionalNumber('decompressedBytes') ??
        POSTHOG_DECOMPRESSED_LIMIT,
    },
    pull: readPullConfig(source?.getOptionalConfig('pull')),
  };
}

function readPullConfig(
  pull: Config | undefined,
): PostHogPullConfig | undefined {
  const personalApiKey = pull?.getOptionalString('personalApiKey')?.trim();
  if (!pull || !personalApiKey) return undefined;
  return {
    personalApiKey,
    host: (pull.getOptionalString('host') ?? POSTHOG_US_HOST).replace(
      /\/+$/,
      '',
    ),
    backfillDays: Math.min(
      90,
      Math.max(1, pull.getOptionalNumber('backfillDays') ?? 30),
    ),
    requestTimeoutMs:
      (pull.getOptionalNumber('requestTimeoutSeconds') ?? 30) * 1000,
    errorTracking: pull.getOptionalBoolean('errorTracking') ?? true,
  };
}
