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
  const bodyLimits = github?.getOptionalConfig('bodyLimits');
  return {
    webhookSecret: github?.getOptionalString('webhookSecret') || undefined,
    rateLimitPerMinute: github?.getOptionalNumber('rateLimitPerMinute') ?? 600,
    bodyLimits: {
      limit:
        bodyLimits?.getOptionalNumber('compressedBytes') ??
        GITHUB_MAX_PAYLOAD_BYTES,
      decompressedLimit:
        bodyLimits?.getOptionalNumber('decompressedBytes') ??
        GITHUB_MAX_PAYLOAD_BYTES,
    },
  };
}
