/**
 * Which of the deploy markers on a time axis get a label: the first, then each one at least
 * `minGapMs` after the last labelled one. Deploys closer than that are still drawn as lines, but
 * their labels would print over each other.
 */
export function labelledDeploys(
  times: number[],
  minGapMs: number,
): Set<number> {
  const labelled = new Set<number>();
  let last = -Infinity;
  [...times]
    .sort((a, b) => a - b)
    .forEach(time => {
      if (time - last >= minGapMs) {
        labelled.add(time);
        last = time;
      }
    });
  return labelled;
}

/**
 * The top of a y-axis that keeps the baseline readable next to a spike: three times the 90th
 * percentile of the values (at least 1), or undefined when nothing rises above that anyway.
 */
export function clippedCeiling(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const p90 = sorted[Math.floor(0.9 * (sorted.length - 1))];
  const ceiling = Math.max(1, Math.ceil(p90 * 3));
  return sorted[sorted.length - 1] > ceiling ? ceiling : undefined;
}
