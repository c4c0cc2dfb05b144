import type { GitHubChange } from './GitHubChange';
import { PayloadObject } from './payload';

/** Deployment states after which nothing more happens to a deployment. */
const FINAL_STATES = new Set(['success', 'failure', 'error', 'inactive']);

/** A `deployment` (created) becomes a change of kind `deployment`, status `pending`. */
export function mapDeploymentEvent(payload: PayloadObject): GitHubChange[] {
  const repository = payload.object('repository');
  return [
    {
      ...deploymentChange(payload.object('deployment')),
      status: 'pending',
      url: `${repository.string('html_url')}/deployments`,
    },
  ];
}

/**
 * A `deployment_status` updates the row of its deployment: the status is the state, and a final
 * state sets when the deployment finished.
 */
export function mapDeploymentStatusEvent(
  payload: PayloadObject,
): GitHubChange[] {
  const deploymentStatus = payload.object('deployment_status');
  const state = deploymentStatus.string('state');
  return [
    {
      ...deploymentChange(payload.object('deployment')),
      status: state,
      url:
        deploymentStatus.optionalString('log_url') ??
        deploymentStatus.optionalString('target_url'),
      finishedAt: FINAL_STATES.has(state)
        ? deploymentStatus.optionalTime('updated_at') ??
          deploymentStatus.time('created_at')
        : undefined,
    },
  ];
}

/** What both events say about the deployment itself, so that both write the same row alike. */
function deploymentChange(deployment: PayloadObject): GitHubChange {
  const sha = deployment.string('sha');
  const ref = deployment.optionalString('ref');
  const environment = deployment.string('environment');
  const what =
    ref && ref !== sha ? `${ref} (${sha.slice(0, 7)})` : sha.slice(0, 7);
  return {
    kind: 'deployment',
    externalId: deployment.id('id'),
    title: `Deploy ${what} to ${environment}`,
    author: deployment.optionalObject('creator')?.optionalString('login'),
    sha,
    environment,
    occurredAt: deployment.time('created_at'),
  };
}
