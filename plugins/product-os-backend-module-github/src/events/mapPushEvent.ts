import type { GitHubChange } from './GitHubChange';
import { PayloadObject } from './payload';

/** Each commit of a `push` becomes a change of kind `commit`, with the files it touched. */
export function mapPushEvent(payload: PayloadObject): GitHubChange[] {
  // A branch or tag deletion, or a tag push, lists no commits.
  return payload.objects('commits').map(commit => {
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
      author:
        author.optionalString('username') ?? author.optionalString('name'),
      sha,
      url: commit.optionalString('url'),
      occurredAt: commit.time('timestamp'),
      files: [...new Set(files)],
    };
  });
}

function firstLine(message: string | undefined): string | undefined {
  return message?.split('\n', 1)[0].trim() || undefined;
}
