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

/** The PostHog source's settings, with every default in this one place. */
export interface PostHogSourceConfig {
  rateLimitPerMinute: number;
  bodyLimits: BodyLimits;
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
  };
}
