import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

/** Settings of the GitHub pull, with every default in this one place. */
export interface GitHubPullConfig {
  /** The integration host pulled from; by default the first `integrations.github` with credentials. */
  host?: string;
  backfillDays: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
  repositoriesPerRun: number;
  concurrency: number;
}

export function readGitHubPullConfig(config: Config): GitHubPullConfig {
  const pull = config.getOptionalConfig('productOs.sources.github.pull');
  return {
    host: pull?.getOptionalString('host'),
    backfillDays: pull?.getOptionalNumber('backfillDays') ?? 30,
    // An idle repository costs only 304s, so every repository can be asked often.
    schedule: {
      frequency: { minutes: 15 },
      timeout: { minutes: 14 },
      initialDelay: { minutes: 1 },
    },
    repositoriesPerRun: pull?.getOptionalNumber('repositoriesPerRun') ?? 500,
    concurrency: pull?.getOptionalNumber('concurrency') ?? 8,
  };
}
