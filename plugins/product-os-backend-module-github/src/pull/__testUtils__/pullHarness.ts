import { ConfigReader } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AnnotatedEntity,
  ProductOsSourceStore,
  PullResult,
} from '@internal/plugin-product-os-node';
import { fetch as undiciFetch } from 'undici';
import { createGitHubPull } from '../createGitHubPull';
import { GitHubApi } from '../GitHubApi';
import type { FakeGitHub } from './FakeGitHub';

/** A logger that keeps what was logged, so a test can read the pull's progress and warnings. */
export function recordingLogger(): LoggerService & {
  lines: [string, string, unknown][];
} {
  const lines: [string, string, unknown][] = [];
  const logger = {
    lines,
    error: (message: string, meta?: unknown) =>
      lines.push(['error', message, meta]),
    warn: (message: string, meta?: unknown) =>
      lines.push(['warn', message, meta]),
    info: (message: string, meta?: unknown) =>
      lines.push(['info', message, meta]),
    debug: () => {},
    child: () => logger,
  };
  return logger as LoggerService & { lines: [string, string, unknown][] };
}

/**
 * The GitHub pull against a {@link FakeGitHub}, with a token integration whose API is the fake,
 * and the octokit plugins' waits shrunk from seconds to milliseconds. `pull(scope)` runs one
 * scope as the host does, carrying the cursor from run to run.
 */
export function pullHarness(options: {
  github: FakeGitHub;
  store: ProductOsSourceStore;
  entities: AnnotatedEntity[];
  backfillDays?: number;
  /** The integration's API path on the fake: '' (github.com's) or `/api/v3` (an Enterprise host's). */
  apiPath?: string;
}) {
  const logger = recordingLogger();
  const config = new ConfigReader({
    integrations: {
      github: [
        {
          host: 'github.com',
          apiBaseUrl: `${options.github.baseUrl}${options.apiPath ?? ''}`,
          token: 'test-token',
        },
      ],
    },
  });
  const api = GitHubApi.fromConfig(config, {
    logger,
    timing: { retryAfterBaseValue: 1 },
    // The test environment refuses the global fetch; undici's reaches the local server.
    fetch: undiciFetch as unknown as typeof globalThis.fetch,
  })!;
  const pull = createGitHubPull({
    api,
    logger,
    config: {
      backfillDays: options.backfillDays ?? 30,
      schedule: { frequency: { minutes: 15 }, timeout: { minutes: 14 } },
      repositoriesPerRun: 500,
      concurrency: 8,
    },
  });
  const cursors = new Map<string, string | undefined>();
  return {
    logger,
    pull: pull,
    async run(scope: string, now: number): Promise<PullResult> {
      const result = await pull.pull({
        scope,
        entities: options.entities.filter(
          entity => pull.scopeOf(entity) === scope,
        ),
        cursor: cursors.get(scope),
        store: options.store,
        logger,
        signal: new AbortController().signal,
        now,
      });
      if (result.cursor !== undefined) cursors.set(scope, result.cursor);
      return result;
    },
    cursor: (scope: string) => cursors.get(scope),
  };
}
