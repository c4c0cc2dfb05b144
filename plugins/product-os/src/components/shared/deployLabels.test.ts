import { clippedCeiling, labelledDeploys } from './deployLabels';

const MINUTE = 60_000;

describe('deploy labels', () => {
  it('labels a deploy only when it is far enough from the last labelled one, counting the others', () => {
    const times = [95 * MINUTE, 0, 5 * MINUTE, 10 * MINUTE, 90 * MINUTE];
    expect([...labelledDeploys(times, 60 * MINUTE)]).toEqual([
      [0, 2],
      [90 * MINUTE, 1],
    ]);
    expect(labelledDeploys(times, 0).size).toBe(5);
  });
});

describe('the clipped scale', () => {
  it('cuts the axis above a spike so the baseline stays readable', () => {
    const baseline = Array.from({ length: 40 }, (_, i) => 4 + (i % 3));
    expect(clippedCeiling([...baseline, 900, 1200])).toBe(18);
  });

  it('offers nothing to clip when no value stands out', () => {
    expect(clippedCeiling([3, 4, 5, 4, 3])).toBeUndefined();
    expect(clippedCeiling([])).toBeUndefined();
  });
});
