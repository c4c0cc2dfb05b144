import type { GitHubChange } from './GitHubChange';
import { PayloadObject } from './payload';

/**
 * Every `pull_request` action carries the pull request as it is now, so each one upserts the
 * same row: status `open`, `closed` or `merged`; a merged one dates from its merge and carries
 * the merge commit. The payload lists no files: they are left for a sync to fill in.
 */
export function mapPullRequestEvent(payload: PayloadObject): GitHubChange[] {
  const pr = payload.object('pull_request');
  const number = pr.integer('number');
  const merged = pr.boolean('merged') || pr.has('merged_at');
  return [
    {
      kind: 'pull_request',
      externalId: String(number),
      number,
      title: pr.string('title'),
      author: pr.optionalObject('user')?.optionalString('login'),
      status: merged ? 'merged' : pr.string('state'),
      sha: merged ? pr.optionalString('merge_commit_sha') : undefined,
      url: pr.optionalString('html_url'),
      occurredAt: merged ? pr.time('merged_at') : pr.time('created_at'),
    },
  ];
}
