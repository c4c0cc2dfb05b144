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
  /**
   * Projects pulled at the same time. Sentry limits each endpoint to about 40 requests a second
   * per caller; at a 150 ms round trip 12 stay below it, and a 429 waits for the window's reset.
   */
  concurrency: number;
  /** Projects pulled per run at most, least recently pulled first; the rest wait for the next. */
  projectsPerRun: number;
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
    concurrency: pull?.getOptionalNumber('concurrency') ?? 12,
    projectsPerRun: pull?.getOptionalNumber('projectsPerRun') ?? 1000,
  };
}
