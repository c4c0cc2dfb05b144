import { Config } from '@backstage/config';
import type { BodyLimits } from '@internal/plugin-product-os-node';

/**
 * 512 KiB, the Events API's own limit for one event; PagerDuty's V3 webhooks are smaller still
 * (it drops those over 256 KiB). Also the bound after decompression: the body is parsed in one
 * synchronous `JSON.parse`, a few milliseconds at this size, where 5 MiB held the event loop for
 * over 100 ms.
 */
const MAX_BODY_BYTES = 512 * 1024;

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
      limit: bodyLimits?.getOptionalNumber('compressedBytes') ?? MAX_BODY_BYTES,
      decompressedLimit:
        bodyLimits?.getOptionalNumber('decompressedBytes') ?? MAX_BODY_BYTES,
    },
  };
}
