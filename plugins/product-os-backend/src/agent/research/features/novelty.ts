import { clockTime } from '../../detect/hourly';
import type { Candidate, FeatureValue } from '../../types';
import { countBetween, FeatureContext } from './context';

/**
 * Error groups first seen after the change went live. The change that went live last before a
 * group appeared gets its full share; each change of the same entity that went live in between
 * halves an earlier change's credit.
 */
export function novelty(
  candidate: Candidate,
  context: FeatureContext,
): FeatureValue {
  const scoped = context.newGroups.get(candidate.entityRef) ?? [];
  const liveTimes = context.liveTimes.get(candidate.entityRef) ?? [];
  let value = 0;
  let count = 0;
  let first = Infinity;
  for (const { group, share } of scoped) {
    if (group.firstSeen < candidate.liveAt) continue;
    const between = countBetween(liveTimes, candidate.liveAt, group.firstSeen);
    value += share * 0.5 ** between;
    count++;
    first = Math.min(first, group.firstSeen);
  }
  return {
    name: 'novelty',
    value: Math.min(1, value),
    description: count
      ? `${count} error group${
          count === 1 ? '' : 's'
        } first seen after it went live (from ${clockTime(first)})`
      : 'no error group first seen after it went live',
    facts: { newGroupsAfter: count },
  };
}
