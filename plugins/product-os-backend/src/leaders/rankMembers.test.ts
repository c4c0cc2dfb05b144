import { rankMembers } from './rankMembers';

const member = (name: string, score: number) => ({
  entityRef: `component:default/${name}`,
  kind: 'Component',
  score,
  inputs: [],
});

describe('rankMembers', () => {
  it('ranks worst first and ties scores closer than the margin', () => {
    const ranked = rankMembers(
      [member('d', 90), member('a', 40), member('b', 43), member('c', 50)],
      5,
    );
    expect(ranked.map(m => [m.entityRef.split('/')[1], m.rank])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 3],
      ['d', 4],
    ]);
  });

  it('anchors a tie at its first score, so small steps do not tie everyone', () => {
    const ranked = rankMembers(
      [member('a', 60), member('b', 63), member('c', 66), member('d', 69)],
      5,
    );
    expect(ranked.map(m => m.rank)).toEqual([1, 1, 3, 3]);
  });

  it('ranks every score apart with no margin, and equal scores by name', () => {
    const ranked = rankMembers([member('b', 70), member('a', 70)], 0);
    expect(ranked.map(m => [m.entityRef.split('/')[1], m.rank])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });
});
