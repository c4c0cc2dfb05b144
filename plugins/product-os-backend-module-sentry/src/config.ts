import { Config } from '@backstage/config';
import { MAX_EVENT_BYTES } from './events/bounds';
import {
  BodyLimits,
  DEFAULT_BODY_LIMITS,
} from '@internal/plugin-product-os-node';

/** A Sentry project whose SDKs send to this backend. */
export interface SentryProject {
  /** Numeric project id, as in the DSN path. */
  id: string;
  publicKey: string;
  slug: string;
  organization?: string;
}

/** The Sentry source's settings, with every default in this one place. */
export interface SentrySourceConfig {
  projects: SentryProject[];
  /** The organization of projects that webhooks name but `projects` does not list. */
  organization?: string;
  webhookSecret?: string;
  rateLimitPerMinute: number;
  bodyLimits: BodyLimits;
  /** The largest error event read (an envelope's event item, a store body); over it: 413. */
  eventBytes: number;
  webhookBodyLimits: BodyLimits;
}

const DEFAULT_RATE_LIMIT_PER_MINUTE = 6000;
const DEFAULT_WEBHOOK_BODY_BYTES = 1024 * 1024;

export function readSentryConfig(config: Config): SentrySourceConfig {
  const root = config.getOptionalConfig('productOs.sources.sentry');
  const defaultOrganization = root?.getOptionalString('organization');
  const projects = (root?.getOptionalConfigArray('projects') ?? []).map(
    project => {
      const id = project.getString('id').trim();
      if (!/^\d+$/.test(id)) {
        // The SDK only accepts a numeric project id at the end of a DSN.
        throw new Error(
          `productOs.sources.sentry.projects: project id '${id}' must be numeric, as in a Sentry DSN`,
        );
      }
      return {
        id,
        publicKey: project.getString('publicKey').trim(),
        slug: project.getString('slug').trim(),
        organization:
          project.getOptionalString('organization') ?? defaultOrganization,
      };
    },
  );
  const seen = new Set<string>();
  for (const project of projects) {
    if (seen.has(project.id)) {
      throw new Error(
        `productOs.sources.sentry.projects: project id '${project.id}' is listed twice`,
      );
    }
    seen.add(project.id);
  }
  const webhookBodyBytes =
    root?.getOptionalNumber('webhookBodyBytes') ?? DEFAULT_WEBHOOK_BODY_BYTES;
  return {
    projects,
    organization: defaultOrganization,
    webhookSecret: root?.getOptionalString('webhookSecret') || undefined,
    rateLimitPerMinute:
      root?.getOptionalNumber('rateLimitPerMinute') ??
      DEFAULT_RATE_LIMIT_PER_MINUTE,
    bodyLimits: {
      limit:
        root?.getOptionalNumber('bodyLimits.compressedBytes') ??
        DEFAULT_BODY_LIMITS.limit,
      decompressedLimit:
        root?.getOptionalNumber('bodyLimits.decompressedBytes') ??
        DEFAULT_BODY_LIMITS.decompressedLimit,
    },
    eventBytes:
      root?.getOptionalNumber('bodyLimits.eventBytes') ?? MAX_EVENT_BYTES,
    webhookBodyLimits: {
      limit: webhookBodyBytes,
      decompressedLimit: webhookBodyBytes,
    },
  };
}
