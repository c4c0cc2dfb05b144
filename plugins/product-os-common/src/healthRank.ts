/**
 * Two health scores closer than this say nothing about which service is worse: one open
 * diagnosis still collecting (2 points) or a new error group (3) moves a score by that much
 * without the service being any better or worse, and error growth costs 10 points per doubling
 * of a week's errors, so 5 points is a week with 1.4 times the errors of the one before, which
 * an ordinary week does. The default of `productOs.health.tieMargin`.
 * @public
 */
export const DEFAULT_TIE_MARGIN = 5;

/** What a health ranking needs of a row. @public */
export interface HealthRankable {
  entityRef: string;
  /** The name the row is shown by; the entity ref's name when absent. */
  title?: string;
  score: number;
  /** Open incidents and diagnoses waiting for a person are never noise: they keep rows apart. */
  openIncidents: number;
  diagnosesNeedingHuman: number;
}

/**
 * Ranks rows least healthy first (rank 1 needs attention first), without ranking by differences
 * inside the noise. Walking from the lowest score up, a row shares the rank of the tie it is in
 * while its score is less than `tieMargin` above the first score of that tie and it has the same
 * open incidents and diagnoses waiting for a person as that first row (25 and 10 points, never
 * noise); any other row starts a new tie, ranked by its position (1, 1, 3, …). Anchoring each
 * tie at its first score stops a chain of small steps from tying everyone (74, 76, 78, 80: the
 * first three tie, 80 is 4th); equal scores tie even with a margin of 0. Inside a tie rows go by
 * name, not by score, so the order does not pretend to know more than the places do; names
 * compare case-insensitively by code unit, then by entity ref, so the order is the same in every
 * browser and on the backend. The roll-up API, the agent tools and the leaders' page all rank
 * with this.
 * @public
 */
export function rankByHealth<T extends HealthRankable>(
  rows: readonly T[],
  tieMargin: number = DEFAULT_TIE_MARGIN,
): Array<T & { rank: number }> {
  const sorted = [...rows].sort((a, b) => a.score - b.score || byName(a, b));
  const ranked: Array<T & { rank: number }> = [];
  let start = 0;
  while (start < sorted.length) {
    const first = sorted[start];
    let end = start + 1;
    while (end < sorted.length && tiesWith(first, sorted[end], tieMargin)) {
      end++;
    }
    for (const row of sorted.slice(start, end).sort(byName)) {
      ranked.push({ ...row, rank: start + 1 });
    }
    start = end;
  }
  return ranked;
}

/** Whether another row shares the rank: "=2" for a shared second place, "3" for one of its own. @public */
export function formatRank(
  row: { rank: number },
  rows: ReadonlyArray<{ rank: number }>,
): string {
  const shared = rows.some(other => other !== row && other.rank === row.rank);
  return shared ? `=${row.rank}` : String(row.rank);
}

/** `row` is in the tie that `first` (the tie's least healthy row) starts. */
function tiesWith(
  first: HealthRankable,
  row: HealthRankable,
  tieMargin: number,
): boolean {
  return (
    row.openIncidents === first.openIncidents &&
    row.diagnosesNeedingHuman === first.diagnosesNeedingHuman &&
    (row.score === first.score || row.score - first.score < tieMargin)
  );
}

function byName(a: HealthRankable, b: HealthRankable): number {
  return (
    byCodeUnit(nameOf(a).toLowerCase(), nameOf(b).toLowerCase()) ||
    byCodeUnit(a.entityRef, b.entityRef)
  );
}

function nameOf(row: HealthRankable): string {
  return row.title ?? row.entityRef.slice(row.entityRef.indexOf('/') + 1);
}

/** Code-unit order: the same in every browser and on the backend, whatever the locale. */
function byCodeUnit(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
