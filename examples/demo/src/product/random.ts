import { createHash } from 'crypto';

/** A seeded random source, so a given hour of history always comes out the same. */
export class Random {
  private state: number;

  constructor(seed: string) {
    this.state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  }

  /** Uniform in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  integer(minInclusive: number, maxInclusive: number): number {
    return (
      minInclusive + Math.floor(this.next() * (maxInclusive - minInclusive + 1))
    );
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** An item chosen in proportion to its weight. */
  weighted<T extends { weight: number }>(items: readonly T[]): T {
    const total = items.reduce((sum, item) => sum + item.weight, 0);
    let left = this.next() * total;
    for (const item of items) {
      left -= item.weight;
      if (left < 0) return item;
    }
    return items[items.length - 1];
  }

  /** A Poisson count with the given mean: how many of a steady trickle fall in one interval. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 50) {
      // Normal approximation; the exact method would loop hundreds of times.
      const u = 1 - this.next();
      const v = this.next();
      const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
    }
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.next();
    while (product > limit) {
      count++;
      product *= this.next();
    }
    return count;
  }

  /** 32 hex digits, the shape of a Sentry event id. */
  hex32(): string {
    let out = '';
    for (let i = 0; i < 4; i++)
      out += Math.floor(this.next() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    return out;
  }
}
