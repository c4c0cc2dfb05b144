import type { RestEndpointMethodTypes } from '@octokit/rest';
import type { GitHubChange } from '../events';
import { conditionalPages } from './conditionalPages';
import { mapRestCommit, RestCommit } from './mapRestCommit';
import type { RepositoryPull } from './RepositoryPull';

type CommitItem =
  RestEndpointMethodTypes['repos']['listCommits']['response']['data'][number];

/**
 * Commits of the default branch since the newest one stored, with their changed files (one
 * request per commit: the list does not carry files, and GitHub's GraphQL API has no file list of
 * a commit). The list's URL stays the same from run to run until a commit arrives, so an idle
 * repository answers the conditional request with a 304. A run that stops part-way to spare the
 * budget has stored the commits newer than `until`; the next lists only those before it.
 */
export async function pullCommits(pull: RepositoryPull): Promise<void> {
  const { owner, repo, cursor } = pull;
  const list = cursor.commits;
  let newest = list.newest ?? list.since;
  let etag: string | undefined;
  pull.spend(1);
  for await (const page of conditionalPages<CommitItem>(
    pull.client,
    'GET /repos/{owner}/{repo}/commits',
    {
      owner,
      repo,
      since: new Date(list.since).toISOString(),
      until:
        list.until === undefined
          ? undefined
          : new Date(list.until).toISOString(),
      per_page: 100,
    },
    list.until === undefined ? list.etag : undefined,
  )) {
    etag ??= page.etag;
    // `since` is inclusive: the newest commit stored comes back and is not fetched again.
    const fresh = page.items.filter(
      item =>
        !(
          commitTime(item) <= list.since &&
          list.until === undefined &&
          list.etag
        ),
    );
    pull.spend(fresh.length + 1);
    const changes: GitHubChange[] = [];
    let oldest: number | undefined;
    for (const item of fresh) {
      const { data } = await pull.client.octokit.request(
        'GET /repos/{owner}/{repo}/commits/{ref}',
        { owner, repo, ref: item.sha },
      );
      changes.push(mapRestCommit(data as RestCommit));
      const time = commitTime(item);
      if (Number.isFinite(time)) {
        newest = Math.max(newest, time);
        oldest = Math.min(oldest ?? time, time);
      }
    }
    await pull.write(changes);
    if (oldest !== undefined) {
      list.until = oldest;
      list.newest = newest;
    }
  }
  cursor.commits = { since: newest, etag: etag ?? list.etag };
}

function commitTime(item: CommitItem): number {
  return Date.parse(
    item.commit.committer?.date ?? item.commit.author?.date ?? '',
  );
}
