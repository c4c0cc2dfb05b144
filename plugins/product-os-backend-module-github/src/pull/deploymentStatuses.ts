import type { RestEndpointMethodTypes } from '@octokit/rest';
import type { GraphqlAnswer } from './GitHubApi';
import type { RepositoryPull } from './RepositoryPull';

type Deployment =
  RestEndpointMethodTypes['repos']['listDeployments']['response']['data'][number];

/** A deployment's latest status, with the fields of REST's that the webhook mapping reads. */
export interface LatestStatus {
  state: string;
  log_url?: string;
  created_at: string;
  updated_at: string;
}

interface DeploymentNode {
  databaseId?: number | null;
  latestStatus?: {
    state: string;
    logUrl: string | null;
    createdAt: string;
    updatedAt: string;
  } | null;
}

type Answer = GraphqlAnswer & { nodes: (DeploymentNode | null)[] };

export const DEPLOYMENT_STATUSES_QUERY = `query DeploymentStatuses($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Deployment {
      databaseId
      latestStatus { state logUrl createdAt updatedAt }
    }
  }
  rateLimit { cost remaining resetAt }
}`;

/**
 * The latest status of up to a hundred deployments (by their REST `node_id`, GraphQL's id) in
 * one GraphQL query of 1 point, where REST asks each deployment's statuses with a request. The
 * state is REST's spelling (`IN_PROGRESS` is `in_progress`), so the status maps as a
 * `deployment_status` delivery does. A deployment without a status is left out.
 */
export async function latestStatuses(
  pull: RepositoryPull,
  deployments: Deployment[],
): Promise<Map<number, LatestStatus>> {
  const statuses = new Map<number, LatestStatus>();
  if (deployments.length === 0) return statuses;
  const answer = await pull.graphql<Answer>(
    DEPLOYMENT_STATUSES_QUERY,
    { ids: deployments.map(deployment => deployment.node_id) },
    1,
  );
  for (const node of answer.nodes ?? []) {
    const status = node?.latestStatus;
    if (!node?.databaseId || !status) continue;
    statuses.set(node.databaseId, {
      state: status.state.toLowerCase(),
      log_url: status.logUrl ?? undefined,
      created_at: status.createdAt,
      updated_at: status.updatedAt,
    });
  }
  return statuses;
}
