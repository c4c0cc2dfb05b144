import { formatRank, rankByHealth } from './healthRank';

const row = (name: string, score: number) => ({
  entityRef: `component:default/${name}`,
  score,
});

const places = (rows: ReturnType<typeof row>[], margin?: number) => {
  const ranked = rankByHealth(rows, margin);
  return ranked.map(r => `${formatRank(r, ranked)} ${r.entityRef.slice(18)}`);
};

describe('rankByHealth', () => {
  it('ranks worst first and ties scores closer than the margin', () => {
    expect(
      places([row('d', 90), row('a', 40), row('b', 43), row('c', 50)], 5),
    ).toEqual(['=1 a', '=1 b', '3 c', '4 d']);
  });

  it('anchors a tie at its first score, so small steps do not tie everyone', () => {
    expect(
      places([row('a', 60), row('b', 63), row('c', 66), row('d', 69)], 5),
    ).toEqual(['=1 a', '=1 b', '=3 c', '=3 d']);
    expect(
      places([row('a', 74), row('b', 76), row('c', 78), row('d', 80)]),
    ).toEqual(['=1 a', '=1 b', '=1 c', '4 d']);
  });

  it('ranks every score apart with no margin, and equal scores by entity ref', () => {
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
        owner: 'group:default/x',
        rank: 1,
      },
    ]);
    expect(rankByHealth([])).toEqual([]);
  });
});
