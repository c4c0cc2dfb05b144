import type { Candidate, FeatureValue } from '../../types';
import { shortSha } from '../gatherCandidates';
import { FeatureContext, groupsFor } from './context';

/**
 * The release an error group was first seen in is this change's: its sha (or one it shipped)
 * appears in the release name, or it is the release itself. Only groups first seen after the
 * change went live count, since an older group's first release predates it.
 */
export function releaseMatch(
  candidate: Candidate,
  context: FeatureContext,
): FeatureValue {
  const groups = [
    ...groupsFor(candidate, context),
    ...(context.newGroups.get(candidate.entityRef) ?? []),
  ];
  const seen = new Set<number>();
  let value = 0;
  let matched = 0;
  let release: string | undefined;
  for (const { group, share } of groups) {
    if (seen.has(group.id)) continue;
    seen.add(group.id);
    if (!group.firstRelease || group.firstSeen < candidate.liveAt) continue;
    if (releaseNames(candidate, group.firstRelease)) {
      // A group counts once at most, with its larger share.
      value = Math.min(1, value + share);
      matched++;
      release = group.firstRelease;
    }
  }
  return {
    name: 'release_match',
    value,
    description: matched
      ? `${matched} of the error groups ${
          matched === 1 ? 'was' : 'were'
        } first seen in release ${release}, which is this change`
      : 'no error group was first seen in a release of this change',
    facts: { groupsMatched: matched, ...(release && { release }) },
  };
}

/** Whether a release name identifies the candidate: by sha, or as the release itself. */
export function releaseNames(candidate: Candidate, release: string): boolean {
  const name = release.toLowerCase();
  for (const sha of candidate.shas) {
    const short = shortSha(sha);
    if (short.length === 7 && name.includes(short)) return true;
  }
  const version = normalizeVersion(name);
  return [candidate.change, ...candidate.includes].some(
    change =>
      change.kind === 'release' &&
      [change.externalId, change.title].some(
        id => normalizeVersion(id.toLowerCase()) === version,
      ),
  );
}

/** `checkout@v1.4.2` and `1.4.2` are the same version. */
function normalizeVersion(name: string): string {
  return name.replace(/^.*@/, '').replace(/^v(?=\d)/, '');
}
