import { Random } from './random';

function draws(
  random: Random,
  count: number,
  draw: (r: Random) => number,
): number[] {
  return Array.from({ length: count }, () => draw(random));
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

describe('Random', () => {
  it('gives the same sequence for the same seed, so an hour of history replays the same', () => {
    const first = draws(new Random('checkout-api:1717405200000'), 50, r =>
      r.next(),
    );
    const again = draws(new Random('checkout-api:1717405200000'), 50, r =>
      r.next(),
    );
    const other = draws(new Random('checkout-api:1717408800000'), 50, r =>
      r.next(),
    );

    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const values = draws(new Random('uniform'), 20_000, r => r.next());

    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(mean(values)).toBeCloseTo(0.5, 1);
    expect(values.filter(v => v < 0.25).length / values.length).toBeCloseTo(
      0.25,
      1,
    );
  });

  it('draws integers within both bounds, each of them reached', () => {
    const values = draws(new Random('dice'), 2_000, r => r.integer(3, 7));

    expect(new Set(values)).toEqual(new Set([3, 4, 5, 6, 7]));
  });

  it.each([0.3, 4, 30, 260])(
    'draws Poisson counts whose mean is close to %p',
    expected => {
      const values = draws(new Random(`poisson:${expected}`), 20_000, r =>
        r.poisson(expected),
      );

      // The standard error of the mean of 20,000 draws is sqrt(mean / 20,000): 5 of them is ample.
      const tolerance = 5 * Math.sqrt(expected / values.length);
      expect(Math.abs(mean(values) - expected)).toBeLessThan(tolerance);
      expect(values.every(v => Number.isInteger(v) && v >= 0)).toBe(true);
    },
  );

  it('draws a Poisson count whose variance matches its mean, not a constant', () => {
    const values = draws(new Random('poisson-variance'), 20_000, r =>
      r.poisson(6),
    );
    const average = mean(values);
    const variance = mean(values.map(v => (v - average) ** 2));

    expect(variance).toBeGreaterThan(5.5);
    expect(variance).toBeLessThan(6.5);
  });

  it('never draws an event for a zero or negative mean', () => {
    const random = new Random('quiet');

    expect(random.poisson(0)).toBe(0);
    expect(random.poisson(-1)).toBe(0);
  });

  it('picks weighted items in proportion to their weight', () => {
    const random = new Random('weights');
    const items = [
      { name: 'rare', weight: 1 },
      { name: 'common', weight: 3 },
    ];
    const picks = Array.from(
      { length: 8_000 },
      () => random.weighted(items).name,
    );

    expect(
      picks.filter(name => name === 'common').length / picks.length,
    ).toBeCloseTo(0.75, 1);
  });

  it('gives the same sequence for the same numeric seed, so a labelled scenario replays the same', () => {
    expect(draws(new Random(9101), 50, r => r.next())).toEqual(
      draws(new Random(9101), 50, r => r.next()),
    );
    expect(draws(new Random(9102), 50, r => r.next())).not.toEqual(
      draws(new Random(9101), 50, r => r.next()),
    );
  });

  it('draws standard normal values and log-normal factors with median 1', () => {
    const values = draws(new Random('normal'), 20_000, r => r.normal());
    const average = mean(values);
    const variance = mean(values.map(v => (v - average) ** 2));

    expect(Math.abs(average)).toBeLessThan(0.05);
    expect(variance).toBeGreaterThan(0.95);
    expect(variance).toBeLessThan(1.05);
    const factors = draws(new Random('lognormal'), 20_000, r =>
      r.lognormal(0.5),
    ).sort((a, b) => a - b);
    expect(factors[10_000]).toBeGreaterThan(0.95);
    expect(factors[10_000]).toBeLessThan(1.05);
    expect(factors[0]).toBeGreaterThan(0);
  });

  it('samples distinct items, and no more than there are', () => {
    const random = new Random('sample');
    const items = ['a', 'b', 'c', 'd', 'e'];

    const three = random.sample(items, 3);
    expect(three).toHaveLength(3);
    expect(new Set(three).size).toBe(3);
    expect(three.every(item => items.includes(item))).toBe(true);
    expect([...random.sample(items, 9)].sort()).toEqual(items);
  });

  it('comes out true for a chance in proportion to it', () => {
    const hits = draws(new Random('chance'), 20_000, r =>
      r.chance(0.2) ? 1 : 0,
    );

    expect(mean(hits)).toBeCloseTo(0.2, 1);
  });

  it('makes event ids of 32 hex digits', () => {
    const random = new Random('event-ids');
    const ids = Array.from({ length: 100 }, () => random.hex(32));

    expect(ids.every(id => /^[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
