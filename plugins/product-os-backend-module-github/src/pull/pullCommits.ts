import type { RestEndpointMethodTypes } from '@octokit/rest';
import type { GitHubChange } from '../events';
import { conditionalPages } from './conditionalPages';
import { mapRestCommit, RestCommit } from './mapRestCommit';
import type { MergedPullRequest, RepositoryPull } from './RepositoryPull';

type CommitItem =
  RestEndpointMethodTypes['repos']['listCommits']['response']['data'][number];

/**
 * Commits of the default branch since the newest one stored, with their changed files: a pull
 * request's merge or squash commit, and the only commit of a pull request of one, take the files
 * its pull request listed in the same run (where the commit would cost a request of its own);
 * any other costs a request (the list does not carry files, and GitHub's GraphQL API has no file
 * list of a commit). The list's URL stays the same from run to run until a commit arrives, so an idle
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
    const mergedFilesOf = (item: CommitItem) => {
      const merged = pull.mergedFiles.get(item.sha);
      return merged && (merged.soleCommit || isMergeOf(item, merged))
        ? merged.files
        : undefined;
    };
    pull.spend(fresh.filter(item => !mergedFilesOf(item)).length + 1);
    const changes: GitHubChange[] = [];
    let oldest: number | undefined;
    for (const item of fresh) {
      const files = mergedFilesOf(item);
      if (files) {
        changes.push(mapRestCommit({ ...item, files } as RestCommit));
      } else {
        const { data } = await pull.client.octokit.request(
          'GET /repos/{owner}/{repo}/commits/{ref}',
          { owner, repo, ref: item.sha },
        );
        changes.push(mapRestCommit(data as RestCommit));
      }
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

/**
 * Whether the commit (the pull request's merge sha) is the pull request merged whole, so that
 * its changes are the pull request's files: a merge commit (two parents: its diff against the
 * first is the pull request's), GitHub's squash commit (`Title (#number)`), or a rebase merge
 * of a pull request of one commit. A rebase merge's last commit of several holds only its own
 * changes: it is asked for.
 */
function isMergeOf(item: CommitItem, merged: MergedPullRequest): boolean {
  if (item.parents.length >= 2 || merged.commits === 1) return true;
  const title = item.commit.message.split('\n', 1)[0].trimEnd();
  return title.endsWith(`(#${merged.number})`);
}

function commitTime(item: CommitItem): number {
  return Date.parse(
    item.commit.committer?.date ?? item.commit.author?.date ?? '',
  );
}
