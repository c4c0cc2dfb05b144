import type { RestEndpointMethodTypes } from '@octokit/rest';
import { PayloadObject } from '../events';
import { mapPullRequestEvent } from '../events/mapPullRequestEvent';
import type { GitHubChange } from '../events';
import { conditionalPages } from './conditionalPages';
import { PullRequestDetails, pullRequestDetails } from './pullRequestDetails';
import type { MergedFile, RepositoryPull } from './RepositoryPull';

type PullRequestItem =
  RestEndpointMethodTypes['pulls']['list']['response']['data'][number];
type PullRequestFile =
  RestEndpointMethodTypes['pulls']['listFiles']['response']['data'][number];

/** Pages of a pull request's files read at most: 300 files, where most list a handful. */
const MAX_FILE_PAGES = 3;

/**
 * Pull requests merged in the window, with their merge sha, files and first commit, mapped as a
 * `pull_request` delivery is (the REST pull request is the webhook's `pull_request` object) plus
 * the files the webhook lacks: so both write one row, and a monorepo's entities get only the pull
 * requests that touch their paths. Closed pull requests are read by last update, newest first,
 * down to the watermark; the first page is conditional, so an idle repository costs a 304.
 * The REST list is what a webhook delivers (so both write the same row, and an unchanged list
 * costs nothing); the files and first commits of a page's merged pull requests come in one
 * GraphQL query, with REST's file list only for those GraphQL cannot list exactly.
 */
export async function pullPullRequests(pull: RepositoryPull): Promise<void> {
  const { owner, repo, cursor } = pull;
  const list = cursor.pulls;
  // A run that stopped part-way stored (until, newest]; anything newer came since.
  const resumed =
    list.until !== undefined && list.newest !== undefined
      ? { until: list.until, newest: list.newest }
      : undefined;
  let newest = list.newest ?? list.since;
  let etag: string | undefined;
  pull.spend(1);
  for await (const page of conditionalPages<PullRequestItem>(
    pull.client,
    'GET /repos/{owner}/{repo}/pulls',
    {
      owner,
      repo,
      state: 'closed',
      sort: 'updated',
      direction: 'desc',
      per_page: 100,
    },
    resumed ? undefined : list.etag,
  )) {
    etag ??= page.etag;
    let reachedWatermark = false;
    const merged: PullRequestItem[] = [];
    let oldest: number | undefined;
    for (const item of page.items) {
      const updated = Date.parse(item.updated_at);
      if (updated < list.since) {
        reachedWatermark = true;
        break;
      }
      // The newest one stored last time comes back with every change; it is stored already.
      if (updated === list.since && list.etag && !resumed) continue;
      oldest = updated;
      newest = Math.max(newest, updated);
      if (resumed && updated > resumed.until && updated <= resumed.newest)
        continue;
      if (item.merged_at && Date.parse(item.merged_at) >= cursor.from)
        merged.push(item);
    }
    // The files and first commits of the page's merged pull requests: one GraphQL query.
    const details = await pullRequestDetails(
      pull,
      merged.map(item => item.number),
    );
    const restFiles = merged.filter(
      item => !details.get(item.number)?.files,
    ).length;
    // The pull requests GraphQL cannot list the files of exactly, and the next page.
    pull.spend(restFiles + 1);
    const changes: GitHubChange[] = [];
    for (const item of merged) {
      const detail = details.get(item.number);
      const listed = detail?.files
        ? { files: detail.files, complete: true }
        : await filesOf(pull, item.number);
      if (listed.complete) remember(pull, item, listed.files, detail);
      const firstCommitAt = detail?.firstCommit
        ? Math.min(detail.firstCommit.at, Date.parse(item.merged_at!))
        : undefined;
      const files = [
        ...new Set(
          listed.files.flatMap(file =>
            file.previous_filename
              ? [file.filename, file.previous_filename]
              : [file.filename],
          ),
        ),
      ];
      for (const change of mapPullRequestEvent(
        PayloadObject.of({ pull_request: item }),
      )) {
        changes.push({ ...change, files, firstCommitAt });
      }
    }
    await pull.write(changes);
    // What is stored so far survives a pause: the next run skips it.
    if (oldest !== undefined) {
      list.until = oldest;
      list.newest = newest;
    }
    if (reachedWatermark) break;
  }
  cursor.pulls = { since: newest, etag: etag ?? list.etag };
}

/**
 * A merged pull request's files for the commits step: under its merge commit, and under its
 * only commit when it has one (that commit's changes are the pull request's).
 */
function remember(
  pull: RepositoryPull,
  item: PullRequestItem,
  files: MergedFile[],
  detail: PullRequestDetails | undefined,
) {
  const merged = { number: item.number, files, commits: detail?.commits };
  if (item.merge_commit_sha)
    pull.mergedFiles.set(item.merge_commit_sha, merged);
  if (detail?.commits === 1 && detail.firstCommit)
    pull.mergedFiles.set(detail.firstCommit.oid, {
      ...merged,
      soleCommit: true,
    });
}

/** The pull request's files; `complete` unless there were more than {@link MAX_FILE_PAGES} pages. */
async function filesOf(
  pull: RepositoryPull,
  number: number,
): Promise<{ files: MergedFile[]; complete: boolean }> {
  const files: MergedFile[] = [];
  let pages = 0;
  for await (const page of conditionalPages<PullRequestFile>(
    pull.client,
    'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
    { owner: pull.owner, repo: pull.repo, pull_number: number, per_page: 100 },
    undefined,
  )) {
    for (const file of page.items)
      files.push({
        filename: file.filename,
        status: file.status,
        previous_filename: file.previous_filename,
      });
    pages += 1;
    if (pages >= MAX_FILE_PAGES)
      return { files, complete: page.items.length < 100 };
    pull.spend(1);
  }
  return { files, complete: true };
}
