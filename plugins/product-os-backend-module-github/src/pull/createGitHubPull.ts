import { GITHUB_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-product-os-common';
import type {
  AnnotatedEntity,
  ProductOsPull,
  PullRequest,
  PullResult,
} from '@internal/plugin-product-os-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { BackfillProgress } from './BackfillProgress';
import type { GitHubApi } from './GitHubApi';
import { pullCommits } from './pullCommits';
import { pullDeployments } from './pullDeployments';
import { pullPullRequests } from './pullPullRequests';
import { pullReleases } from './pullReleases';
import { pullRepositoryInfo } from './pullRepositoryInfo';
import type { GitHubPullConfig } from './pullConfig';
import { readCursor } from './RepositoryCursor';
import { BudgetPaused, RepositoryPull } from './RepositoryPull';

/** The steps of a repository's pull, cheapest first: the commits' files cost the most. */
const STEPS = [
  pullRepositoryInfo,
  pullReleases,
  pullDeployments,
  pullPullRequests,
  pullCommits,
];

/** `owner/name` of the entity's repository (the first, when it names several). */
export function repositoryOf(entity: AnnotatedEntity): string | undefined {
  const slug =
    entity.annotations[GITHUB_PROJECT_SLUG_ANNOTATION]?.split(',')[0]?.trim();
  return slug && /^[\w.-]+\/[\w.-]+$/.test(slug)
    ? slug.toLowerCase()
    : undefined;
}

/**
 * The pull of a repository's changes: releases, deployments with their statuses, merged pull
 * requests with their files and first commit, and commits of the default branch with their files, written as
 * the webhook writes them (one row per item whichever arrives first). The first run back-fills
 * `backfillDays`; later runs ask only what changed, with conditional requests that cost nothing
 * while nothing did. When the credentials' budget nears its reserve the pull stops and goes on at
 * a later run, where it stopped.
 */
export function createGitHubPull(options: {
  api: GitHubApi;
  config: GitHubPullConfig;
  logger: LoggerService;
}): ProductOsPull {
  const { api, config } = options;
  const progress = new BackfillProgress(options.logger);
  return {
    id: 'changes',
    annotations: [GITHUB_PROJECT_SLUG_ANNOTATION],
    scopeOf: entity => {
      const scope = repositoryOf(entity);
      if (scope) progress.saw(scope);
      return scope;
    },
    schedule: config.schedule,
    scopesPerRun: config.repositoriesPerRun,
    concurrency: config.concurrency,
    async pull(request: PullRequest): Promise<PullResult> {
      const [owner, repo] = request.scope.split('/');
      const cursor = readCursor(
        request.cursor,
        request.now,
        config.backfillDays,
      );
      const backfilling = !cursor.backfilled;
      const client = await api.forRepository(owner, repo);
      const run = new RepositoryPull(owner, repo, client, cursor, request);
      try {
        for (const step of STEPS) await step(run);
        cursor.backfilled = true;
      } catch (error) {
        if (!(error instanceof BudgetPaused)) throw error;
        request.logger.info(error.message, { scope: request.scope });
      } finally {
        run.releaseClaim();
      }
      if (backfilling) {
        progress.record({
          scope: request.scope,
          finished: cursor.backfilled,
          // This repository's own requests: others pulled at the same time share the budget.
          counted: client.counted,
          points: client.points,
          budget: client.budget,
          now: request.now,
        });
      } else {
        progress.alreadyDone(request.scope);
      }
      return { cursor: JSON.stringify(cursor), items: run.items };
    },
  };
}
