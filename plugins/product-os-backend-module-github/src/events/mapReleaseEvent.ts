import type { GitHubChange } from './GitHubChange';
import { PayloadObject } from './payload';

const STORED_ACTIONS = new Set(['published', 'created', 'released']);

/**
 * A published (or created, or released) release becomes a change of kind `release`, keyed by
 * its tag, which is the name error trackers usually report as the release. Drafts are skipped:
 * they have shipped nothing until they are published.
 */
export function mapReleaseEvent(payload: PayloadObject): GitHubChange[] {
  if (!STORED_ACTIONS.has(payload.string('action'))) return [];
  const release = payload.object('release');
  if (release.boolean('draft')) return [];
  const tag = release.string('tag_name');
  const target = release.optionalString('target_commitish');
  return [
    {
      kind: 'release',
      externalId: tag,
      title: release.optionalString('name') ?? tag,
      author: release.optionalObject('author')?.optionalString('login'),
      // The target is a branch name unless the release was cut from a commit.
      sha: target && /^[0-9a-f]{40}$/.test(target) ? target : undefined,
      status: release.boolean('prerelease') ? 'prerelease' : 'published',
      url: release.optionalString('html_url'),
      occurredAt:
        release.optionalTime('published_at') ?? release.time('created_at'),
    },
  ];
}
