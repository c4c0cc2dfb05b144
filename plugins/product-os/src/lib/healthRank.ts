import { EntityHealth } from '@internal/plugin-product-os-common';

/**
 * Two health scores closer than this say nothing about which service is worse. Error growth
 * costs 10 points per doubling of a week's errors, so 5 points is a week with 1.4 times the
 * errors of the one before, which an ordinary week does; error volume moves the score even
 * less. Open incidents (25 points) and diagnoses waiting for a person (10) are never noise.
 */
export const HEALTH_NOISE_POINTS = 5;

/** A row of a health ranking: its place and whether it shares that place with others. */
export interface RankedHealth<T extends EntityHealth = EntityHealth> {
  row: T;
  /** 1 for the least healthy; rows in a tie share the place of the first of them. */
  rank: number;
  tied: boolean;
}

/** Same incidents and diagnoses waiting, and a score within the noise of the tie's first row. */
function tiesWith(first: EntityHealth, row: EntityHealth): boolean {
  return (
    first.openIncidents === row.openIncidents &&
    first.diagnosesNeedingHuman === row.diagnosesNeedingHuman &&
    row.score - first.score < HEALTH_NOISE_POINTS
  );
}

/**
 * Ranks rows least healthy first, as ties where the difference is inside the noise. A tie is
 * measured from its first (least healthy) row, so 74, 76, 78 and 80 do not chain into one tie:
 * 74 to 78 tie, 80 starts the next place. Inside a tie rows go by name, not by score, so the
 * order does not pretend to know more than it does.
 */
export function rankByHealth<T extends EntityHealth>(
  rows: readonly T[],
): RankedHealth<T>[] {
  const sorted = [...rows].sort(
    (a, b) => a.score - b.score || a.entityRef.localeCompare(b.entityRef),
  );
  const ranked: RankedHealth<T>[] = [];
  let start = 0;
  while (start < sorted.length) {
    let end = start + 1;
    while (end < sorted.length && tiesWith(sorted[start], sorted[end])) end++;
    const tie = sorted
      .slice(start, end)
      .sort((a, b) => displayName(a).localeCompare(displayName(b)));
    for (const row of tie) {
      ranked.push({ row, rank: start + 1, tied: end - start > 1 });
    }
    start = end;
  }
  return ranked;
}

/** "=2" for a shared second place, "3" for a place of its own. */
export function formatRank(ranked: RankedHealth): string {
  return ranked.tied ? `=${ranked.rank}` : String(ranked.rank);
}

function displayName(row: EntityHealth): string {
  return row.title ?? row.entityRef.slice(row.entityRef.indexOf('/') + 1);
}
