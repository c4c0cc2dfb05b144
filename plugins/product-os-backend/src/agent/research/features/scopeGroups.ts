import type { ErrorGroupRecord } from '../../../database/errors/ErrorStore';

/** An error group with its share of the trouble it is part of (shares of a list sum to 1). */
export interface ScopeGroup {
  group: ErrorGroupRecord;
  share: number;
}

/** Shares proportional to the weights, summing to 1. */
export function toShares(
  groups: ErrorGroupRecord[],
  weightOf: (group: ErrorGroupRecord) => number,
): ScopeGroup[] {
  const total = groups.reduce((sum, g) => sum + Math.max(weightOf(g), 0), 0);
  if (total === 0)
    return groups.map(group => ({ group, share: 1 / groups.length }));
  return groups.map(group => ({
    group,
    share: Math.max(weightOf(group), 0) / total,
  }));
}
