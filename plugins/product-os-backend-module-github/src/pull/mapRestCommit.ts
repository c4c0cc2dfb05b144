import type { RestEndpointMethodTypes } from '@octokit/rest';
import type { GitHubChange } from '../events';

export type RestCommit =
  RestEndpointMethodTypes['repos']['getCommit']['response']['data'];

/**
 * A commit from the REST API as the push webhook maps it (`events/mapPushEvent.ts`): the same
 * external id (the sha), title (first line of the message), author (login, else git name), url
 * and time, and the files in the push payload's order (added, modified, removed; a rename is its
 * new path added and its old path removed, as a push lists it). So a pushed and a pulled commit
 * write the same row.
 */
export function mapRestCommit(commit: RestCommit): GitHubChange {
  const added: string[] = [];
  const modified: string[] = [];
  const removed: string[] = [];
  for (const file of commit.files ?? []) {
    if (file.status === 'removed') removed.push(file.filename);
    else if (file.status === 'renamed') {
      added.push(file.filename);
      if (file.previous_filename) removed.push(file.previous_filename);
    } else if (file.status === 'added' || file.status === 'copied')
      added.push(file.filename);
    else modified.push(file.filename);
  }
  const time = commit.commit.committer?.date ?? commit.commit.author?.date;
  return {
    kind: 'commit',
    externalId: commit.sha,
    title: firstLine(commit.commit.message) ?? commit.sha.slice(0, 7),
    author: commit.author?.login ?? commit.commit.author?.name ?? undefined,
    sha: commit.sha,
    url: commit.html_url,
    // GitHub always dates a commit; an undated one is NaN and skipped by the caller.
    occurredAt: Date.parse(time ?? ''),
    files: [...new Set([...added, ...modified, ...removed])],
  };
}

function firstLine(message: string | undefined): string | undefined {
  return message?.split('\n', 1)[0].trim() || undefined;
}
