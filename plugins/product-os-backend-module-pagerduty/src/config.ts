import { Config } from '@backstage/config';
import type { BodyLimits } from '@internal/plugin-product-os-node';

/** The PagerDuty source's settings, with every default in this one place. */
export interface PagerDutySourceConfig {
  webhookSecrets: string[];
  rateLimitPerMinute: number;
  bodyLimits: BodyLimits;
}

export function readPagerDutyConfig(config: Config): PagerDutySourceConfig {
  const source = config.getOptionalConfig('productOs.sources.pagerduty');
  const bodyLimits = source?.getOptionalConfig('bodyLimits');
  return {
    webhookSecrets: (
      source?.getOptionalStringArray('webhookSecrets') ?? []
    ).filter(secret => secret.length > 0),
    rateLimitPerMinute: source?.getOptionalNumber('rateLimitPerMinute') ?? 600,
    bodyLimits: {
      limit: bodyLimits?.getOptionalNumber('compressedBytes') ?? 512 * 1024,
      decompressedLimit:
        bodyLimits?.getOptionalNumber('decompressedBytes') ?? 5 * 1024 * 1024,
    },
  };
}
