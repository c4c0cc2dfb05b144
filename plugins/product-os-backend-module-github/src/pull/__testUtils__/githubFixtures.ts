import webhookExamples from '@octokit/webhooks-examples';
import { deploymentNodeId } from './fakeGraphqlRoot';

type Json = Record<string, any>;

/*
 * GitHub's REST objects, made from the real webhook payloads of `@octokit/webhooks-examples`
 * (a webhook's `pull_request`, `deployment`, `deployment_status` and `release` are the REST API's
 * objects), renamed to the repository a test needs. The fake server checks each against GitHub's
 * OpenAPI description before answering with it.
 */

const example = (
  name: string,
  pick: (payload: Json) => boolean = () => true,
): Json => {
  const found = (webhookExamples as { name: string; examples: Json[] }[])
    .find(event => event.name === name)
    ?.examples.find(pick);
  if (!found) throw new Error(`No ${name} example`);
  return JSON.parse(JSON.stringify(found));
};

const EXAMPLE_REPOSITORY = 'Codertocat/Hello-World';

/** The example's objects with every mention of the example repository moved to `fullName`. */
function moved<T>(value: T, fullName: string): T {
  return JSON.parse(
    JSON.stringify(value).split(EXAMPLE_REPOSITORY).join(fullName),
  );
}

export const sender: Json = example('push').sender;

export function repositoryObject(fullName: string): Json {
  const repository = moved(
    example('release', e => e.action === 'published').repository,
    fullName,
  );
  const [owner, name] = fullName.split('/');
  return {
    ...repository,
    name,
    full_name: fullName,
    owner: { ...repository.owner, login: owner },
    has_discussions: false,
    network_count: 0,
    subscribers_count: 1,
  };
}

export interface CommitSpec {
  sha: string;
  message: string;
  /** ISO time of the commit (author and committer). */
  date: string;
  files: {
    filename: string;
    status: 'added' | 'modified' | 'removed' | 'renamed';
    previous_filename?: string;
  }[];
  login?: string;
}

/** A commit as `GET /repos/{owner}/{repo}/commits/{ref}` returns it. */
export function commitObject(fullName: string, spec: CommitSpec): Json {
  const api = `https://api.github.com/repos/${fullName}`;
  const person = {
    name: 'Monalisa Octocat',
    email: 'octocat@github.com',
    date: spec.date,
  };
  const user = spec.login ? { ...sender, login: spec.login } : null;
  return {
    sha: spec.sha,
    node_id: `C_${spec.sha.slice(0, 12)}`,
    url: `${api}/commits/${spec.sha}`,
    html_url: `https://github.com/${fullName}/commit/${spec.sha}`,
    comments_url: `${api}/commits/${spec.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${spec.sha}`,
      author: person,
      committer: person,
      message: spec.message,
      comment_count: 0,
      tree: {
        sha: spec.sha.replace(/./, 'f'),
        url: `${api}/git/trees/${spec.sha}`,
      },
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: user,
    committer: user,
    parents: [],
    stats: { additions: 1, deletions: 0, total: 1 },
    files: spec.files.map(file => ({
      sha: spec.sha,
      filename: file.filename,
      status: file.status,
      additions: 1,
      deletions: 0,
      changes: 1,
      blob_url: `https://github.com/${fullName}/blob/${spec.sha}/${file.filename}`,
      raw_url: `https://github.com/${fullName}/raw/${spec.sha}/${file.filename}`,
      contents_url: `${api}/contents/${file.filename}?ref=${spec.sha}`,
      patch: '@@ -0,0 +1 @@\n+change',
      ...(file.previous_filename
        ? { previous_filename: file.previous_filename }
        : {}),
    })),
  };
}

export interface PullSpec {
  number: number;
  title: string;
  mergedAt: string | null;
  updatedAt: string;
  mergeSha: string;
  login?: string;
}

/** A closed pull request as `GET /repos/{owner}/{repo}/pulls` lists it. */
export function pullObject(fullName: string, spec: PullSpec): Json {
  const pr = moved(
    example('pull_request', e => e.action === 'closed').pull_request,
    fullName,
  );
  return {
    ...pr,
    number: spec.number,
    title: spec.title,
    state: 'closed',
    html_url: `https://github.com/${fullName}/pull/${spec.number}`,
    url: `https://api.github.com/repos/${fullName}/pulls/${spec.number}`,
    merged_at: spec.mergedAt,
    closed_at: spec.mergedAt ?? spec.updatedAt,
    updated_at: spec.updatedAt,
    merge_commit_sha: spec.mergeSha,
    user: { ...pr.user, login: spec.login ?? pr.user.login },
  };
}

/** A file of a pull request as `GET /pulls/{pull_number}/files` lists it. */
export function pullFileObject(fullName: string, filename: string): Json {
  return {
    sha: 'bbcd538c8e72b8c175046e27cc8f907076331401',
    filename,
    status: 'modified',
    additions: 1,
    deletions: 1,
    changes: 2,
    blob_url: `https://github.com/${fullName}/blob/main/${filename}`,
    raw_url: `https://github.com/${fullName}/raw/main/${filename}`,
    contents_url: `https://api.github.com/repos/${fullName}/contents/${filename}`,
    patch: '@@ -1 +1 @@\n-old\n+new',
  };
}

/** The `deployment_status` webhook example, whose objects are REST's, moved to `fullName`. */
export function deploymentStatusPayload(fullName: string): Json {
  return moved(example('deployment_status'), fullName);
}

export function deploymentObject(
  fullName: string,
  spec: {
    id: number;
    sha: string;
    ref: string;
    environment: string;
    createdAt: string;
  },
): Json {
  const { deployment } = deploymentStatusPayload(fullName);
  return {
    ...deployment,
    id: spec.id,
    node_id: deploymentNodeId(fullName, spec.id),
    url: `https://api.github.com/repos/${fullName}/deployments/${spec.id}`,
    statuses_url: `https://api.github.com/repos/${fullName}/deployments/${spec.id}/statuses`,
    sha: spec.sha,
    ref: spec.ref,
    environment: spec.environment,
    created_at: spec.createdAt,
    updated_at: spec.createdAt,
  };
}

export function deploymentStatusObject(
  fullName: string,
  spec: {
    id: number;
    deploymentId: number;
    state: string;
    createdAt: string;
    logUrl?: string;
  },
): Json {
  const { deployment_status: status } = deploymentStatusPayload(fullName);
  return {
    ...status,
    id: spec.id,
    state: spec.state,
    created_at: spec.createdAt,
    updated_at: spec.createdAt,
    log_url: spec.logUrl ?? '',
    target_url: spec.logUrl ?? '',
    deployment_url: `https://api.github.com/repos/${fullName}/deployments/${spec.deploymentId}`,
    url: `https://api.github.com/repos/${fullName}/deployments/${spec.deploymentId}/statuses/${spec.id}`,
  };
}

export function releaseObject(
  fullName: string,
  spec: { id: number; tag: string; publishedAt: string; prerelease?: boolean },
): Json {
  const { release } = moved(
    example('release', e => e.action === 'published'),
    fullName,
  );
  return {
    ...release,
    id: spec.id,
    tag_name: spec.tag,
    name: `Release ${spec.tag}`,
    created_at: spec.publishedAt,
    published_at: spec.publishedAt,
    prerelease: spec.prerelease ?? false,
    draft: false,
    html_url: `https://github.com/${fullName}/releases/tag/${spec.tag}`,
  };
}
