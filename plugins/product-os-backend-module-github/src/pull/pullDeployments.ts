import type { RestEndpointMethodTypes } from '@octokit/rest';
import { PayloadObject } from '../events';
import {
  mapDeploymentEvent,
  mapDeploymentStatusEvent,
} from '../events/mapDeploymentEvents';
import type { GitHubChange } from '../events';
import { conditionalGet, conditionalPages } from './conditionalPages';
import { LatestStatus, latestStatuses } from './deploymentStatuses';
import { MAX_OPEN_DEPLOYMENTS } from './RepositoryCursor';
import type { RepositoryPull } from './RepositoryPull';

type Deployment =
  RestEndpointMethodTypes['repos']['listDeployments']['response']['data'][number];
type DeploymentStatus =
  RestEndpointMethodTypes['repos']['listDeploymentStatuses']['response']['data'][number];

/** States after which a deployment changes no more (as in `events/mapDeploymentEvents.ts`). */
const FINAL_STATES = new Set(['success', 'failure', 'error', 'inactive']);

/**
 * Deployments of the window with their latest status, mapped as the `deployment_status` (or,
 * without a status, the `deployment`) delivery is, so both write one row. New deployments are
 * those above the newest id stored, listed by REST (conditionally: an unchanged list is a 304)
 * with the latest statuses of a page in one GraphQL query; deployments still running are
 * followed by a conditional REST request for their statuses, which costs nothing while nothing
 * changes.
 */
export async function pullDeployments(pull: RepositoryPull): Promise<void> {
  const { owner, repo, cursor } = pull;
  const known = cursor.deployments.maxId ?? 0;
  let maxId = known;
  const open = new Map(cursor.deployments.open);
  pull.spend(1);
  let etag: string | undefined;
  for await (const page of conditionalPages<Deployment>(
    pull.client,
    'GET /repos/{owner}/{repo}/deployments',
    { owner, repo, per_page: 100 },
    cursor.deployments.etag,
  )) {
    etag ??= page.etag;
    const fresh = page.items.filter(
      deployment =>
        deployment.id > known &&
        Date.parse(deployment.created_at) >= cursor.from,
    );
    // The page's latest statuses in one GraphQL query, then the next page.
    const statuses = await latestStatuses(pull, fresh);
    pull.spend(1);
    const changes: GitHubChange[] = [];
    for (const deployment of fresh) {
      const latest = statuses.get(deployment.id);
      changes.push(...mapDeployment(pull, deployment, latest));
      // Followed by REST's statuses, whose first answer gives the ETag of the next.
      if (!latest || !FINAL_STATES.has(latest.state))
        open.set(deployment.id, undefined);
      maxId = Math.max(maxId, deployment.id);
    }
    await pull.write(changes);
    if (fresh.length < page.items.length) break;
  }

  // Deployments still running: a 304 while their statuses are unchanged.
  for (const [id, statusesEtag] of [...open]) {
    if (id > known) continue; // asked for just now
    // Its statuses, and the deployment itself should they have changed.
    pull.spend(2);
    const statuses = await conditionalGet<DeploymentStatus[]>(
      pull.client,
      'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      { owner, repo, deployment_id: id, per_page: 1 },
      statusesEtag,
    );
    if (!statuses) continue;
    const latest = statuses.data[0];
    if (latest) {
      const deployment = await pull.client.octokit.request(
        'GET /repos/{owner}/{repo}/deployments/{deployment_id}',
        { owner, repo, deployment_id: id },
      );
      await pull.write(
        mapDeployment(pull, deployment.data as Deployment, latest),
      );
    }
    if (latest && FINAL_STATES.has(latest.state)) open.delete(id);
    else open.set(id, statuses.etag);
  }

  cursor.deployments = {
    etag: etag ?? cursor.deployments.etag,
    maxId,
    open: [...open].sort(([a], [b]) => b - a).slice(0, MAX_OPEN_DEPLOYMENTS),
  };
}

function mapDeployment(
  pull: RepositoryPull,
  deployment: Deployment,
  status: DeploymentStatus | LatestStatus | undefined,
): GitHubChange[] {
  const repository = {
    html_url: pull.cursor.repo.htmlUrl ?? pull.client.htmlBase,
  };
  return status
    ? mapDeploymentStatusEvent(
        PayloadObject.of({ deployment, deployment_status: status, repository }),
      )
    : mapDeploymentEvent(PayloadObject.of({ deployment, repository }));
}
