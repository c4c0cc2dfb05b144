import { HealthInput } from '@internal/plugin-product-os-common';
import {
  describeInputValue,
  describePenalty,
  penalisingInputs,
} from './healthInputs';

const input = (
  name: HealthInput['name'],
  value: number,
  unit: string,
  penalty: number,
): HealthInput => ({ name, value, unit, penalty });

describe('health inputs', () => {
  it('reads values in the units people use, not those the score is computed in', () => {
    expect(describeInputValue(input('errorGrowth', 1, 'doublings', 10))).toBe(
      '×2.0 vs the window before',
    );
    expect(
      describeInputValue(input('errorVolume', 2.004, 'log10 events', 5)),
    ).toBe('100 events');
    expect(
      describeInputValue(input('keyMetricDrop', 0.25, 'fraction', 5)),
    ).toBe('25%');
    expect(describeInputValue(input('mttr', 3.5, 'hours', 2))).toBe('3h 30m');
    expect(describeInputValue(input('openIncidents', 2, 'incidents', 50))).toBe(
      '2',
    );
  });

  it('lists what took points off, largest first, each as a line', () => {
    const inputs = [
      input('errorVolume', 1, 'log10 events', 3),
      input('openIncidents', 1, 'incidents', 25),
      input('mttr', 0, 'hours', 0),
    ];
    expect(penalisingInputs(inputs).map(i => describePenalty(i))).toEqual([
      '−25 open incidents (1)',
      '−3 error volume (9 events)',
    ]);
  });

  it('gives counts, not a factor, when errors grew from an empty window', () => {
    const growth = input('errorGrowth', 8.54, 'doublings', 20);
    expect(describePenalty(growth)).toBe(
      '−20 error growth (×372 vs the window before)',
    );
    expect(describePenalty(growth, { events: 372, previousEvents: 0 })).toBe(
      '−20 error growth (372 events, none the window before)',
    );
  });
});
