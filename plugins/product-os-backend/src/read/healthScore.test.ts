import {
  DEFAULT_HEALTH_WEIGHTS,
  healthBreakdown,
  healthScore,
} from './healthScore';

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

  it('charges no rise without a baseline, only the volume', () => {
    // 0 → 1000 with no earlier error group: the volume's 8, not the rise's 20 as well.
    expect(healthScore({ ...quiet, events: 1000, errorBaseline: false })).toBe(
      92,
    );
    expect(healthScore({ ...quiet, events: 1000, errorBaseline: true })).toBe(
      72,
    );
    // Counted errors the window before are a baseline whatever the flag says.
    expect(
      healthScore({
        ...quiet,
        events: 7,
        previousEvents: 3,
        errorBaseline: false,
      }),
    ).toBe(88);
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

describe('healthBreakdown', () => {
  it('returns every input with its value and the points it took', () => {
    const { score, inputs } = healthBreakdown({
      events: 99,
      previousEvents: 24,
      openIncidents: 1,
      diagnosesNeedingHuman: 0,
      openDiagnoses: 2,
      newErrorGroups: 2,
      regressedErrorGroups: 1,
      keyMetricDrop: 0.25,
      mttrHours: 6,
      changeFailureRate: 0.2,
    });
    const penalties = Object.fromEntries(inputs.map(i => [i.name, i.penalty]));
    // 25 (incident) + 20 (log2(100/25) = 2 doublings) + 5 (2.5 × log10(100)) + 6 (2 new groups)
    // + 5 (1 regressed) + 5 (20 × 0.25) + 3 (0.5 × 6 h) + 5 (25 × 0.2) + 4 (2 × 2 collecting).
    expect(penalties).toEqual({
      openIncidents: 25,
      diagnosesNeedingHuman: 0,
      errorGrowth: 20,
      errorVolume: 5,
      newErrorGroups: 6,
      regressedErrorGroups: 5,
      keyMetricDrop: 5,
      mttr: 3,
      changeFailureRate: 5,
      openDiagnoses: 4,
    });
    expect(score).toBe(100 - 78);
    expect(inputs.find(i => i.name === 'errorGrowth')).toEqual({
      name: 'errorGrowth',
      value: 2,
      unit: 'doublings',
      penalty: 20,
    });
  });

  it('caps each input and counts nothing for inputs without data', () => {
    const { score, inputs } = healthBreakdown({
      ...quiet,
      newErrorGroups: 40,
      mttrHours: null,
      changeFailureRate: null,
    });
    expect(inputs.find(i => i.name === 'newErrorGroups')?.penalty).toBe(15);
    expect(inputs.find(i => i.name === 'mttr')).toMatchObject({
      value: 0,
      penalty: 0,
    });
    expect(score).toBe(85);
  });

  it('weighs the inputs as configured', () => {
    const weights = {
      ...DEFAULT_HEALTH_WEIGHTS,
      openIncidents: { points: 0, max: 50 },
      changeFailureRate: { points: 100, max: 40 },
    };
    const { score } = healthBreakdown(
      { ...quiet, openIncidents: 2, changeFailureRate: 0.5 },
      weights,
    );
    expect(score).toBe(60);
  });
});
