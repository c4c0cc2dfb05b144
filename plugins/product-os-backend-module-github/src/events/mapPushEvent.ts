import { forEachSlice } from '@internal/plugin-product-os-node';
import type { GitHubChange } from './GitHubChange';
import { PayloadObject } from './payload';

/**
 * Commits mapped between two turns of the event loop. A push lists up to 2,048 commits, each
 * with its file lists; mapping them all at once would hold the loop for every other request.
 */
const COMMITS_PER_SLICE = 256;

/** Each commit of a `push` becomes a change of kind `commit`, with the files it touched. */
export async function mapPushEvent(
  payload: PayloadObject,
): Promise<GitHubChange[]> {
  const changes: GitHubChange[] = [];
  // A branch or tag deletion, or a tag push, lists no commits.
  await forEachSlice(payload.objects('commits'), COMMITS_PER_SLICE, slice => {
    changes.push(...slice.map(mapCommit));
  });
  return changes;
}

function mapCommit(commit: PayloadObject): GitHubChange {
  const sha = commit.string('id');
  const author = commit.object('author');
  const files = [
    ...commit.strings('added'),
    ...commit.strings('modified'),
    ...commit.strings('removed'),
  ];
  return {
    kind: 'commit',
    externalId: sha,
    title: firstLine(commit.optionalString('message')) ?? sha.slice(0, 7),
    author: author.optionalString('username') ?? author.optionalString('name'),
    sha,
    url: commit.optionalString('url'),
    occurredAt: commit.time('timestamp'),
    files: [...new Set(files)],
  };
}

function firstLine(message: string | undefined): string | undefined {
  return message?.split('\n', 1)[0].trim() || undefined;
}
