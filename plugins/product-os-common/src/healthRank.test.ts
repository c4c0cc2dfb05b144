import { formatRank, HealthRankable, rankByHealth } from './healthRank';

const row = (
  name: string,
  score: number,
  extra: Partial<HealthRankable> = {},
): HealthRankable => ({
  entityRef: `component:default/${name}`,
  score,
  openIncidents: 0,
  diagnosesNeedingHuman: 0,
  ...extra,
});

const places = (rows: HealthRankable[], margin?: number) => {
  const ranked = rankByHealth(rows, margin);
  return ranked.map(r => `${formatRank(r, ranked)} ${r.entityRef.slice(18)}`);
};

describe('rankByHealth', () => {
  it('ranks worst first and ties scores closer than the margin', () => {
    expect(
      places([row('d', 90), row('a', 40), row('b', 43), row('c', 50)], 5),
    ).toEqual(['=1 a', '=1 b', '3 c', '4 d']);
  });

  it('ties services whose scores differ by less than the noise, in name order', () => {
    expect(
      places([
        row('search', 76),
        row('catalog', 74),
        row('ledger', 75),
        row('payments', 40, { openIncidents: 1 }),
      ]),
    ).toEqual(['1 payments', '=2 catalog', '=2 ledger', '=2 search']);
  });

  it('lists a tie by name (its title where it has one), not by score', () => {
    expect(
      places([
        row('zeta', 74),
        row('alpha', 76),
        row('mid', 75),
        row('b-service', 77, { title: 'Billing' }),
      ]),
    ).toEqual(['=1 alpha', '=1 b-service', '=1 mid', '=1 zeta']);
  });

  it('anchors a tie at its first score, so small steps do not tie everyone', () => {
    expect(
      places([row('a', 60), row('b', 63), row('c', 66), row('d', 69)], 5),
    ).toEqual(['=1 a', '=1 b', '=3 c', '=3 d']);
    expect(
      places([row('a', 74), row('b', 76), row('c', 78), row('d', 80)]),
    ).toEqual(['=1 a', '=1 b', '=1 c', '4 d']);
  });

  it('never ties a service with an open incident or a diagnosis waiting with one without', () => {
    expect(
      places([
        row('quiet', 75),
        row('paged', 73, { openIncidents: 1 }),
        row('waiting', 74, { diagnosesNeedingHuman: 1 }),
      ]),
    ).toEqual(['1 paged', '2 waiting', '3 quiet']);
    // Equal scores with different open work are not a tie either.
    expect(
      places([row('quiet', 70), row('paged', 70, { openIncidents: 1 })], 0),
    ).toEqual(['1 paged', '2 quiet']);
  });

  it('ranks every score apart with no margin, and equal scores by name', () => {
    expect(places([row('b', 70), row('a', 70), row('c', 71)], 0)).toEqual([
      '=1 a',
      '=1 b',
      '3 c',
    ]);
  });

  it('keeps the rows it is given, with their rank added', () => {
    const ranked = rankByHealth([
      { ...row('a', 50), owner: 'group:default/x' },
    ]);
    expect(ranked).toEqual([
      {
        entityRef: 'component:default/a',
        score: 50,
        openIncidents: 0,
        diagnosesNeedingHuman: 0,
        owner: 'group:default/x',
        rank: 1,
      },
    ]);
    expect(rankByHealth([])).toEqual([]);
  });
});
