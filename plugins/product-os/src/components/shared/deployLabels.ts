/**
 * Which of the deploy markers on a time axis get a label, and how many unlabelled deploys each
 * label stands for: the first deploy, then each one at least `minGapMs` after the last labelled
 * one. Deploys closer than that are still drawn as lines, but their labels would print over
 * each other, so the label before them counts them ("4f2a9c1 +2").
 */
export function labelledDeploys(
  times: number[],
  minGapMs: number,
): Map<number, number> {
  const labelled = new Map<number, number>();
  let last = -Infinity;
  [...times]
    .sort((a, b) => a - b)
    .forEach(time => {
      if (time - last >= minGapMs) {
        labelled.set(time, labelled.get(time) ?? 0);
        last = time;
      } else {
        labelled.set(last, (labelled.get(last) ?? 0) + 1);
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
