import { Config } from '@backstage/config';
import type { BodyLimits } from '@internal/plugin-product-os-node';

/**
 * 512 KiB, the Events API's own limit for one event; PagerDuty's V3 webhooks are smaller still
 * (it drops those over 256 KiB). Also the bound after decompression: the body is parsed in one
 * synchronous `JSON.parse`, a few milliseconds at this size, where 5 MiB held the event loop for
 * over 100 ms.
 */
const MAX_BODY_BYTES = 512 * 1024;

/** PagerDuty's REST API hosts, by the region an account lives in. */
export const PAGERDUTY_API_HOSTS = {
  us: 'https://api.pagerduty.com',
  eu: 'https://api.eu.pagerduty.com',
} as const;

/**
 * PagerDuty lists incidents over at most 6 months (`since`/`until`); 90 days gives the agent a
 * quarter of history on the first run.
 */
const DEFAULT_BACKFILL_DAYS = 90;
const MAX_BACKFILL_DAYS = 180;

/** What pulling from PagerDuty's REST API needs; absent without a token. */
export interface PagerDutyPullConfig {
  token: string;
  /** `https://api.pagerduty.com`, `https://api.eu.pagerduty.com`, or a proxy in front of them. */
  baseUrl: string;
  backfillDays: number;
  requestTimeoutMs: number;
}

/** The PagerDuty source's settings, with every default in this one place. */
export interface PagerDutySourceConfig {
  webhookSecrets: string[];
  rateLimitPerMinute: number;
  bodyLimits: BodyLimits;
  pull?: PagerDutyPullConfig;
}

/** The config key an admin sets to turn the pull on. */
export const PULL_TOKEN_KEY = 'productOs.sources.pagerduty.pull.token';

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
    pull: readPullConfig(source?.getOptionalConfig('pull')),
  };
}

function readPullConfig(
  pull: Config | undefined,
): PagerDutyPullConfig | undefined {
  const token = pull?.getOptionalString('token')?.trim();
  if (!pull || !token) return undefined;
  const region = pull.getOptionalString('region') ?? 'us';
  if (region !== 'us' && region !== 'eu') {
    throw new Error(
      `productOs.sources.pagerduty.pull.region must be "us" or "eu", not "${region}"`,
    );
  }
  const backfillDays =
    pull.getOptionalNumber('backfillDays') ?? DEFAULT_BACKFILL_DAYS;
  if (!(backfillDays > 0 && backfillDays <= MAX_BACKFILL_DAYS)) {
    throw new Error(
      `productOs.sources.pagerduty.pull.backfillDays must be between 1 and ${MAX_BACKFILL_DAYS}`,
    );
  }
  return {
    token,
    baseUrl: (
      pull.getOptionalString('baseUrl') ?? PAGERDUTY_API_HOSTS[region]
    ).replace(/\/+$/, ''),
    backfillDays,
    requestTimeoutMs:
      (pull.getOptionalNumber('requestTimeoutSeconds') ?? 30) * 1000,
  };
}
