import type { DoraFigures } from '@internal/plugin-product-os-common';
import { DAY_MS, HOUR_MS } from '../../time';
import { changeFailureRateBand, doraBands } from './doraBands';
import { lowerMedian } from './doraFigures';

const FIGURES: DoraFigures = {
  deployments: 10,
  deploymentDays: 10,
  deploymentFrequency: 3.5,
  leadTimeMs: 2 * HOUR_MS,
  changes: 12,
  failedDeployments: 0,
  changeFailureRate: 0,
  recoveryTimeMs: null,
  recoveries: 0,
  reworkDeployments: 0,
  reworkRate: 0,
};

describe('DORA bands', () => {
  it('compares the change failure rate as a fraction: 20 % is not elite', () => {
    // DevLake's banding query compares the fraction with `<= 5`, which calls 0.2 elite.
    expect(changeFailureRateBand(0.2)).not.toBe('elite');
    expect(changeFailureRateBand(0.2)).toBe('high');
    expect(changeFailureRateBand(0.05)).toBe('elite');
    expect(changeFailureRateBand(0.0501)).toBe('high');
    expect(changeFailureRateBand(0.4)).toBe('medium');
    expect(changeFailureRateBand(0.41)).toBe('low');
    expect(changeFailureRateBand(1)).toBe('low');
  });

  it.each([
    [3, 'elite'],
    [2.99, 'high'],
    [1, 'high'],
    [0.25, 'medium'],
    [0.2, 'low'],
  ])('%p deployment days a week is %p', (frequency, band) => {
    expect(
      doraBands({ ...FIGURES, deploymentFrequency: frequency })
        .deploymentFrequency,
    ).toBe(band);
  });

  it.each([
    [DAY_MS - 1, 'elite'],
    [DAY_MS, 'high'],
    [7 * DAY_MS, 'medium'],
    [30 * DAY_MS, 'low'],
  ])('a lead time of %p ms is %p', (leadTimeMs, band) => {
    expect(doraBands({ ...FIGURES, leadTimeMs }).leadTime).toBe(band);
  });

  it.each([
    [HOUR_MS - 1, 'elite'],
    [HOUR_MS, 'high'],
    [DAY_MS, 'medium'],
    [7 * DAY_MS, 'low'],
  ])('a recovery time of %p ms is %p', (recoveryTimeMs, band) => {
    expect(doraBands({ ...FIGURES, recoveryTimeMs }).recoveryTime).toBe(band);
  });

  it('is overall the lowest band with data', () => {
    expect(doraBands(FIGURES)).toEqual({
      deploymentFrequency: 'elite',
      leadTime: 'elite',
      changeFailureRate: 'elite',
      recoveryTime: null,
      overall: 'elite',
    });
    expect(
      doraBands({ ...FIGURES, changeFailureRate: 0.2, recoveryTimeMs: DAY_MS })
        .overall,
    ).toBe('medium');
  });

  it('takes the lower of the two middle values, as DevLake does', () => {
    expect(lowerMedian([])).toBeNull();
    expect(lowerMedian([5])).toBe(5);
    expect(lowerMedian([4, 1])).toBe(1);
    expect(lowerMedian([3, 1, 2])).toBe(2);
    expect(lowerMedian([4, 2, 2, 2])).toBe(2);
  });
});
