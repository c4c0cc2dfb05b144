import type { DemoGitHub } from '../send/DemoGitHub';
import {
  deploymentCreated,
  deploymentStatus,
  pullRequestMerged,
  pushToMain,
  ShippedChange,
} from '../send/githubPayloads';

/**
 * Delivers the webhooks GitHub sends as a pull request is merged and deployed: the merge, the
 * push of its commit to main, the deployment and its statuses.
 */
export async function shipChange(
  github: DemoGitHub,
  change: ShippedChange & { service: string },
  deploy: {
    startedAt: number;
    finishedAt: number;
    outcome: 'success' | 'failure';
  },
): Promise<void> {
  await github.deliver('pull_request', pullRequestMerged(change));
  await github.deliver('push', pushToMain(change));
  const deployment = {
    id: parseInt(change.sha.slice(0, 8), 16),
    repository: change.repository,
    sha: change.sha,
    service: change.service,
    createdAt: deploy.startedAt,
  };
  await github.deliver('deployment', deploymentCreated(deployment));
  await github.deliver(
    'deployment_status',
    deploymentStatus(deployment, 'in_progress', deploy.startedAt),
  );
  await github.deliver(
    'deployment_status',
    deploymentStatus(deployment, deploy.outcome, deploy.finishedAt),
  );
}

/** Rolls a service back: a deployment of an earlier sha, no new code. */
export async function redeploy(
  github: DemoGitHub,
  target: { repository: string; service: string; sha: string; id: number },
  at: number,
): Promise<void> {
  const deployment = { ...target, createdAt: at };
  await github.deliver('deployment', deploymentCreated(deployment));
  await github.deliver(
    'deployment_status',
    deploymentStatus(deployment, 'success', at + 30_000),
  );
}
