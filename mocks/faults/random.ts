import { type RandomGenerator, unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';

/**
 * A seeded random source. Every fault gets its own stream, derived from the
 * fleet seed and the fault's identity, so adding a fault never shifts the
 * numbers another fault draws: a run is reproducible fault by fault.
 */
export class Rng {
  private gen: RandomGenerator;
  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
  }
  /** Uniform double in [0, 1) with 53 bits of randomness. */
  next(): number {
    const hi = unsafeUniformIntDistribution(0, (1 << 26) - 1, this.gen);
    const lo = unsafeUniformIntDistribution(0, (1 << 27) - 1, this.gen);
    return (hi * 2 ** 27 + lo) / 2 ** 53;
  }
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  /** Standard normal by Box–Muller. */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  chance(p: number): boolean {
    return p >= 1 || this.next() < p;
  }
}

/** FNV-1a over a string, mixed with the seed: a stable stream id per fault. */
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
