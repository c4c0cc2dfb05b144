import { placeInRing, StoredSample } from './sampleRing';

const at = (timestamp: number, name: string) => ({ timestamp, name });

describe('placeInRing', () => {
  it('fills unused slots first, then replaces the oldest samples', () => {
    const stored: StoredSample[] = [
      { slot: 0, timestamp: 10, id: 1 },
      { slot: 2, timestamp: 30, id: 3 },
    ];
    const { writes, removedIds } = placeInRing(
      stored,
      [at(40, 'a'), at(50, 'b'), at(60, 'c')],
      4,
    );
    // The oldest sample (slot 0) makes room; slots 1 (a sample pruned by retention) and 3 were free.
    expect(writes.map(w => [w.slot, w.event.name])).toEqual([
      [0, 'c'],
      [1, 'b'],
      [3, 'a'],
    ]);
    expect(removedIds).toEqual([]);
  });

  it('keeps newer stored samples over late events', () => {
    const stored: StoredSample[] = [
      { slot: 0, timestamp: 20, id: 1 },
      { slot: 1, timestamp: 30, id: 2 },
    ];
    const { writes } = placeInRing(stored, [at(5, 'late'), at(25, 'x')], 2);
    expect(writes).toEqual([{ slot: 0, event: at(25, 'x') }]);
  });

  it('at one timestamp, prefers the later arrival', () => {
    const stored: StoredSample[] = [
      { slot: 0, timestamp: 10, id: 7 },
      { slot: 1, timestamp: 10, id: 8 },
    ];
    const { writes } = placeInRing(stored, [at(10, 'new')], 2);
    // The stored sample written first (the lower id) goes.
    expect(writes).toEqual([{ slot: 0, event: at(10, 'new') }]);
  });

  it('removes rows past the size once the sample size was lowered', () => {
    const stored: StoredSample[] = [0, 1, 2, 3].map(i => ({
      slot: i,
      timestamp: 100 + i,
      id: i + 1,
    }));
    const { writes, removedIds } = placeInRing(stored, [at(200, 'n')], 2);
    // The newest event takes the slot of the newest sample that falls out; the others go.
    expect(writes).toEqual([{ slot: 2, event: at(200, 'n') }]);
    expect(removedIds.sort()).toEqual([1, 2]);
  });
});
