import { healthScore } from './healthScore';

const quiet = {
  events: 0,
  previousEvents: 0,
  openIncidents: 0,
  diagnosesNeedingHuman: 0,
};

describe('healthScore', () => {
  it('is 100 for an entity with nothing wrong', () => {
    expect(healthScore(quiet)).toBe(100);
  });

  it('takes 25 per open incident, at most 50', () => {
    expect(healthScore({ ...quiet, openIncidents: 1 })).toBe(75);
    expect(healthScore({ ...quiet, openIncidents: 2 })).toBe(50);
    expect(healthScore({ ...quiet, openIncidents: 5 })).toBe(50);
  });

  it('takes 10 per diagnosis needing a human, at most 20', () => {
    expect(healthScore({ ...quiet, diagnosesNeedingHuman: 1 })).toBe(90);
    expect(healthScore({ ...quiet, diagnosesNeedingHuman: 4 })).toBe(80);
  });

  it('takes 10 per doubling of errors, at most 20, and nothing for a fall', () => {
    // 3 → 7 events: 10·log2(8/4) = 10 for the rise, 2.5·log10(8) = 2 for the volume.
    expect(healthScore({ ...quiet, events: 7, previousEvents: 3 })).toBe(88);
    // 0 → 1 event is one doubling of (events + 1), not an infinite rise.
    expect(healthScore({ ...quiet, events: 1 })).toBe(89);
    // 1 → 1000: the rise is capped at 20, the volume at 10 (2.5·log10(1001) = 7.5 → 8).
    expect(healthScore({ ...quiet, events: 1000, previousEvents: 1 })).toBe(72);
    expect(
      healthScore({ ...quiet, events: 100_000, previousEvents: 100_000 }),
    ).toBe(90);
    // A fall only costs the volume.
    expect(healthScore({ ...quiet, events: 9, previousEvents: 500 })).toBe(97);
  });

  it('never goes below 0', () => {
    expect(
      healthScore({
        events: 1e6,
        previousEvents: 0,
        openIncidents: 9,
        diagnosesNeedingHuman: 9,
      }),
    ).toBe(0);
  });
});
