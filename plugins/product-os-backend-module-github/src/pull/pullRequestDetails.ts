import type { GraphqlAnswer } from './GitHubApi';
import type { MergedFile, RepositoryPull } from './RepositoryPull';

/** Files a query asks of each pull request: one page, which most pull requests fit in. */
const FILES_PER_PULL_REQUEST = 100;

/** What GraphQL tells of one merged pull request that its REST list item does not. */
export interface PullRequestDetails {
  /** Its files, unless GraphQL cannot give them exactly (see {@link pullRequestDetails}). */
  files?: MergedFile[];
  /** Its commits, and the first one: where its lead time starts. */
  commits: number;
  firstCommit?: { oid: string; at: number };
}

interface PullRequestNode {
  files: {
    totalCount: number;
    nodes: ({ path: string; changeType: string } | null)[] | null;
  } | null;
  commits: {
    totalCount: number;
    nodes:
      | ({
          commit: { oid: string; authoredDate: string; committedDate: string };
        } | null)[]
      | null;
  };
}

type Answer = GraphqlAnswer & {
  repository: Record<string, PullRequestNode | null> | null;
};

/** GraphQL's `PatchStatus` as the REST file list names it. */
const REST_STATUS: Record<string, string> = {
  ADDED: 'added',
  DELETED: 'removed',
  MODIFIED: 'modified',
  CHANGED: 'changed',
};

/**
 * The files and first commit of up to a hundred merged pull requests in one GraphQL query
 * (a pull request's files and commits are a connection each: 100 pull requests cost 2 points,
 * where REST would take a request per pull request for the files and another for the commits).
 * GraphQL names a renamed or copied file by its new path only, where the REST list (and a push)
 * also names the old one; such a pull request, or one of more than a page of files, is left
 * without `files` for REST to list.
 */
export async function pullRequestDetails(
  pull: RepositoryPull,
  numbers: number[],
): Promise<Map<number, PullRequestDetails>> {
  const details = new Map<number, PullRequestDetails>();
  if (numbers.length === 0) return details;
  const answer = await pull.graphql<Answer>(
    pullRequestDetailsQuery(numbers.length),
    {
      owner: pull.owner,
      name: pull.repo,
      ...Object.fromEntries(numbers.map((n, i) => [`n${i}`, n])),
    },
    Math.max(1, Math.round((numbers.length * 2) / 100)),
  );
  numbers.forEach((number, i) => {
    const node = answer.repository?.[`pr${i}`];
    if (!node) return;
    const first = node.commits.nodes?.[0]?.commit;
    const firstAt = first
      ? Math.min(
          Date.parse(first.authoredDate),
          Date.parse(first.committedDate),
        )
      : NaN;
    details.set(number, {
      files: exactFiles(node.files),
      commits: node.commits.totalCount,
      firstCommit:
        first && Number.isFinite(firstAt)
          ? { oid: first.oid, at: firstAt }
          : undefined,
    });
  });
  return details;
}

function exactFiles(files: PullRequestNode['files']): MergedFile[] | undefined {
  if (!files?.nodes || files.totalCount > files.nodes.length) return undefined;
  const mapped: MergedFile[] = [];
  for (const file of files.nodes) {
    const status = file && REST_STATUS[file.changeType];
    if (!file || !status) return undefined;
    mapped.push({ filename: file.path, status });
  }
  return mapped;
}

/** The query for `count` pull requests, numbered by the variables `$n0`, `$n1`, …. */
export function pullRequestDetailsQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$n${i}: Int!`);
  const fields = Array.from(
    { length: count },
    (_, i) => `    pr${i}: pullRequest(number: $n${i}) { ...details }`,
  );
  return `query PullRequestDetails($owner: String!, $name: String!, ${variables.join(
    ', ',
  )}) {
  repository(owner: $owner, name: $name) {
${fields.join('\n')}
  }
  rateLimit { cost remaining resetAt }
}
fragment details on PullRequest {
  files(first: ${FILES_PER_PULL_REQUEST}) { totalCount nodes { path changeType } }
  commits(first: 1) {
    totalCount
    nodes { commit { oid authoredDate committedDate } }
  }
}`;
}
