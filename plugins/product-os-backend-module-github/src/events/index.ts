import type { GitHubChange } from './GitHubChange';
import {
  mapDeploymentEvent,
  mapDeploymentStatusEvent,
} from './mapDeploymentEvents';
import { mapPullRequestEvent } from './mapPullRequestEvent';
import { mapPushEvent } from './mapPushEvent';
import { mapReleaseEvent } from './mapReleaseEvent';
import { mapWorkflowRunEvent } from './mapWorkflowRunEvent';
import { PayloadObject } from './payload';

export type { GitHubChange } from './GitHubChange';
export { PayloadObject } from './payload';

/**
 * The webhook events Product OS stores, by `X-GitHub-Event`, each with its mapping. A mapping of
 * an event that may list many items (a push's commits) is async and gives the event loop turns.
 */
export const eventMappers = new Map<
  string,
  (payload: PayloadObject) => GitHubChange[] | Promise<GitHubChange[]>
>([
  ['push', mapPushEvent],
  ['pull_request', mapPullRequestEvent],
  ['deployment', mapDeploymentEvent],
  ['deployment_status', mapDeploymentStatusEvent],
  ['release', mapReleaseEvent],
  ['workflow_run', mapWorkflowRunEvent],
]);
