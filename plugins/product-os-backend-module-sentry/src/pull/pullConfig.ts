import type { Config } from '@backstage/config';

/** The Sentry pull's settings, with every default in this one place. */
export interface SentryPullConfig {
  /** An organization auth token (`org:read`, `project:read`, `event:read`, `project:releases`). */
  token: string;
  /** The API's origin: `https://sentry.io`, a region (`https://de.sentry.io`) or self-hosted. */
  baseUrl: string;
  /** The organization of `sentry.io/project-slug` annotations that name only a slug. */
  organization?: string;
  /** Days back-filled on the first pull of a project. */
  backfillDays: number;
  /** Busiest issues per pull whose latest event is fetched for its stack frames. */
  samplesPerPull: number;
  /** Issues per pull whose first release is looked up (new issues only). */
  releaseLookupsPerPull: number;
  /** One request's deadline. */
  requestTimeoutMs: number;
}

export const DEFAULT_SENTRY_BASE_URL = 'https://sentry.io';

/** Where an admin turns the pull on, for entities' "how to connect" hint. */
export const SENTRY_PULL_TOKEN_KEY = 'productOs.sources.sentry.pull.token';

/** The pull's settings, or undefined while no token is configured. */
export function readSentryPullConfig(
  config: Config,
): SentryPullConfig | undefined {
  const root = config.getOptionalConfig('productOs.sources.sentry');
  const pull = root?.getOptionalConfig('pull');
  const token = pull?.getOptionalString('token')?.trim();
  if (!token) return undefined;
  return {
    token,
    baseUrl: (pull?.getOptionalString('baseUrl') ?? DEFAULT_SENTRY_BASE_URL)
      .trim()
      .replace(/\/+$/, ''),
    organization:
      pull?.getOptionalString('organization') ??
      root?.getOptionalString('organization'),
    backfillDays: pull?.getOptionalNumber('backfillDays') ?? 14,
    samplesPerPull: pull?.getOptionalNumber('samplesPerPull') ?? 5,
    releaseLookupsPerPull:
      pull?.getOptionalNumber('releaseLookupsPerPull') ?? 25,
    requestTimeoutMs:
      (pull?.getOptionalNumber('requestTimeoutSeconds') ?? 30) * 1000,
  };
}
