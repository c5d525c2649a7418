/**
 * @module seed/prng: deterministic randomness for demo data. Each stream is seeded from a string (usually an id), so
 * a product keeps its prices, stock and dates when products are added before or after it.
 */

export type Rng = () => number;

/**
 * mulberry32 seeded with the FNV-1a hash of `seed`; returns floats in [0, 1).
 * @example const r = rng("prd_fr_0001"); r(); // same value on every run
 */
export function rng(seed: string): Rng {
  let h = 2166136261;
  for (const ch of seed) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 16777619);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [min, max]. */
export function between(r: Rng, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

/** Float in [min, max). */
export function within(r: Rng, min: number, max: number): number {
  return min + r() * (max - min);
}
