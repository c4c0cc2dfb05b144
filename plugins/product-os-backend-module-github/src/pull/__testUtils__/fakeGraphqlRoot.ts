import { GraphQLError } from 'graphql';
import type { FakeRepository } from './FakeRepository';

type Json = Record<string, any>;

/** REST's file status as GraphQL's `PatchStatus` names it. */
const CHANGE_TYPE: Record<string, string> = {
  added: 'ADDED',
  removed: 'DELETED',
  modified: 'MODIFIED',
  renamed: 'RENAMED',
  copied: 'COPIED',
  changed: 'CHANGED',
  unchanged: 'CHANGED',
};

/** GitHub's global id of a deployment, as its REST `node_id` carries it. */
export function deploymentNodeId(fullName: string, id: number): string {
  return Buffer.from(`Deployment:${fullName.toLowerCase()}:${id}`).toString(
    'base64',
  );
}

function connection<T>(items: T[], first: number | undefined) {
  const nodes = items.slice(0, first ?? items.length);
  return {
    totalCount: items.length,
    nodes,
    pageInfo: {
      hasNextPage: nodes.length < items.length,
      hasPreviousPage: false,
      endCursor: nodes.length ? String(nodes.length) : null,
      startCursor: nodes.length ? '1' : null,
    },
  };
}

/**
 * The root of the fake's GraphQL answers over the same repositories its REST routes serve: what
 * GitHub's `Query.repository { pullRequest(number) { files commits } }` and
 * `Query.nodes(ids) { ... on Deployment { databaseId latestStatus } }` give. `graphql`'s
 * `execute` runs the pull's query against GitHub's schema with it, so an answer is shaped (and
 * typed, enums and non-null fields included) as GitHub's schema says.
 */
export function fakeGraphqlRoot(
  repositories: Map<string, FakeRepository>,
  rateLimit: () => Json,
): Json {
  const pullRequest = (repo: FakeRepository, number: number) => {
    const pr = repo.pulls.find(p => p.number === number);
    if (!pr)
      throw new GraphQLError(
        `Could not resolve to a PullRequest with the number of ${number}.`,
        { extensions: { type: 'NOT_FOUND' } },
      );
    return {
      number,
      title: pr.title,
      mergedAt: pr.merged_at,
      files: ({ first }: { first?: number }) =>
        connection(
          (repo.pullFiles.get(number) ?? []).map(file => ({
            path: file.filename,
            changeType: CHANGE_TYPE[file.status] ?? 'MODIFIED',
            additions: file.additions ?? 0,
            deletions: file.deletions ?? 0,
          })),
          first,
        ),
      commits: ({ first }: { first?: number }) =>
        connection(
          (repo.pullCommits?.get(number) ?? []).map(commit => ({
            commit: {
              oid: commit.oid,
              authoredDate: commit.authoredDate,
              committedDate: commit.committedDate,
            },
          })),
          first,
        ),
    };
  };

  const deployment = (id: string) => {
    const [type, fullName, databaseId] = Buffer.from(id, 'base64')
      .toString()
      .split(':');
    const repo = type === 'Deployment' ? repositories.get(fullName) : undefined;
    const found = repo?.deployments.find(d => d.id === Number(databaseId));
    if (!repo || !found) return null;
    const latest = repo.statuses.get(found.id)?.[0];
    return {
      __typename: 'Deployment',
      id,
      databaseId: found.id,
      commitOid: found.sha,
      environment: found.environment,
      createdAt: found.created_at,
      latestStatus: latest
        ? {
            state: String(latest.state).toUpperCase(),
            logUrl: latest.log_url || null,
            environmentUrl: latest.environment_url || null,
            description: latest.description || null,
            createdAt: latest.created_at,
            updatedAt: latest.updated_at,
          }
        : null,
    };
  };

  return {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = repositories.get(`${owner}/${name}`.toLowerCase());
      if (!repo)
        throw new GraphQLError(
          `Could not resolve to a Repository with the name '${owner}/${name}'.`,
          { extensions: { type: 'NOT_FOUND' } },
        );
      return {
        name,
        pullRequest: ({ number }: { number: number }) =>
          pullRequest(repo, number),
      };
    },
    nodes: ({ ids }: { ids: string[] }) => ids.map(deployment),
    rateLimit,
  };
}
