import { Config } from '@backstage/config';
import {
  BodyLimits,
  DEFAULT_BODY_LIMITS,
} from '@internal/plugin-product-os-node';

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
        DEFAULT_BODY_LIMITS.decompressedLimit,
    },
  };
}
