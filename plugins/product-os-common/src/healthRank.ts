/**
 * Two health scores closer than this say nothing about which service is worse: one open
 * diagnosis still collecting (2 points) or a new error group (3) moves a score by that much
 * without the service being any better or worse. The default of `productOs.health.tieMargin`.
 * @public
 */
export const DEFAULT_TIE_MARGIN = 5;

/** What a health ranking needs of a row. @public */
export interface HealthRankable {
  entityRef: string;
  score: number;
}

/**
 * Ranks rows least healthy first (rank 1 needs attention first), without ranking by differences
 * inside the noise: walking from the lowest score up, a row shares the rank of the tie it is in
 * while its score is less than `tieMargin` above the first score of that tie; the next row at or
 * beyond the margin starts a new tie, ranked by its position (1, 1, 3, …). Anchoring each tie at
 * its first score stops a chain of small steps from tying everyone (74, 76, 78, 80: the first
 * three tie, 80 is 4th); equal scores always tie, even with a margin of 0. Rows of equal score go
 * by entity ref, so the order is the same wherever it is computed. The roll-up API ranks its
 * members with this; the leaders' page ranks its table with it too.
 * @public
 */
export function rankByHealth<T extends HealthRankable>(
  rows: readonly T[],
  tieMargin: number = DEFAULT_TIE_MARGIN,
): Array<T & { rank: number }> {
  const sorted = [...rows].sort(
    (a, b) => a.score - b.score || byRef(a.entityRef, b.entityRef),
  );
  let anchor = -Infinity;
  let rank = 0;
  return sorted.map((row, index) => {
    if (
      index === 0 ||
      (row.score > anchor && row.score - anchor >= tieMargin)
    ) {
      anchor = row.score;
      rank = index + 1;
    }
    return { ...row, rank };
  });
}

/** Whether another row shares the rank: "=2" for a shared second place, "3" for one of its own. @public */
export function formatRank(
  row: { rank: number },
  rows: ReadonlyArray<{ rank: number }>,
): string {
  const shared = rows.some(other => other !== row && other.rank === row.rank);
  return shared ? `=${row.rank}` : String(row.rank);
}

/** Code-unit order: the same in every browser and on the backend, whatever the locale. */
function byRef(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
