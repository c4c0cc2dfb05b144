import { Config } from '@backstage/config';
import type { BodyLimits } from '@internal/plugin-product-os-node';

/**
 * GitHub caps webhook payloads at 25 MB, but the events stored here are far smaller: a push lists
 * at most 2,048 commits and is typically well under 1 MiB. 2 MiB holds a push of 2,048 commits
 * with about ten files each; parsing it (the one step that cannot give the event loop turns)
 * costs some 10 ms of CPU, where 25 MB would hold the loop for well over 100 ms. A larger
 * delivery is answered 413; deployers with bigger pushes raise `bodyLimits`.
 */
const DEFAULT_BODY_BYTES = 2 * 1024 * 1024;

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
        bodyLimits?.getOptionalNumber('compressedBytes') ?? DEFAULT_BODY_BYTES,
      decompressedLimit:
        bodyLimits?.getOptionalNumber('decompressedBytes') ??
        DEFAULT_BODY_BYTES,
    },
  };
}
