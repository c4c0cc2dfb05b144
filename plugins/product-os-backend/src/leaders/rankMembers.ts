import type { RollupMember } from '@internal/plugin-product-os-common';

/**
 * Ranks a roll-up's services worst first (rank 1 needs attention first), without ranking by
 * differences inside the noise: walking from the lowest score up, a service shares the rank of the
 * tie it is in while its score is less than `tieMargin` above the first score of that tie; the
 * next service at or beyond the margin starts a new tie, ranked by its position (1, 1, 3, …).
 * Anchoring each tie at its first score stops a chain of small steps from tying everyone; equal
 * scores always tie, even with a margin of 0.
 */
export function rankMembers(
  members: Omit<RollupMember, 'rank'>[],
  tieMargin: number,
): RollupMember[] {
  const sorted = [...members].sort(
    (a, b) => a.score - b.score || a.entityRef.localeCompare(b.entityRef),
  );
  let anchor = -Infinity;
  let rank = 0;
  return sorted.map((member, index) => {
    if (
      index === 0 ||
      (member.score > anchor && member.score - anchor >= tieMargin)
    ) {
      anchor = member.score;
      rank = index + 1;
    }
    return { ...member, rank };
  });
}
