import { Config } from '@backstage/config';
import type { BodyLimits } from '@internal/plugin-product-os-node';

/** GitHub caps webhook payloads at 25 MB. */
const GITHUB_MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

/** Settings of the GitHub source, with every default in this one place. */
export interface GitHubSourceConfig {
  /** Undefined when not configured: every delivery is then refused. */
  webhookSecret?: string;
  rateLimitPerMinute: number;
  bodyLimits: BodyLimits;
}

export function readGitHubSourceConfig(config: Config): GitHubSourceConfig {
  const github = config.getOptionalConfig('productOs.sources.github');
  const bodyLimit = github?.getOptionalNumber('bodyLimitBytes') ?? GITHUB_MAX_PAYLOAD_BYTES;
  return {
    webhookSecret: github?.getOptionalString('webhookSecret') || undefined,
    rateLimitPerMinute: github?.getOptionalNumber('rateLimitPerMinute') ?? 600,
    // GitHub does not compress deliveries, but a proxy in front may; either way the same cap.
    bodyLimits: { limit: bodyLimit, decompressedLimit: bodyLimit },
  };
}
