// A small seeded PRNG for the demo data: the same seed gives the same traffic on every
// machine and every run, so the demo, the README tour and the newcomer test agree.
// mulberry32 (Tommy Ettinger's 32-bit generator) is plenty for simulated traffic.

export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform in [lo, hi) */
  uniform(lo: number, hi: number): number;
  /** normal with this mean and standard deviation (Box-Muller) */
  normal(mean: number, sd: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  /** one of the keys, with probability proportional to its weight */
  pick<K extends string>(weights: Record<K, number>): K;
}

/** Mixes integers into one 32-bit seed, so each (model, hour) gets its own stream. */
export function seedOf(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x01000193);
    h = Math.imul(h ^ Math.floor(p / 2 ** 32), 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic generator: the same seed always yields the same sequence. */
export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  const standardNormal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    // 1 - next() is in (0, 1], so the logarithm is finite
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal: (mean, sd) => mean + sd * standardNormal(),
    chance: (p) => next() < p,
    pick<K extends string>(weights: Record<K, number>): K {
      const keys = Object.keys(weights) as K[];
      let total = 0;
      for (const k of keys) total += weights[k];
      let r = next() * total;
      for (const k of keys) {
        r -= weights[k];
        if (r < 0) return k;
      }
      return keys[keys.length - 1]!;
    },
  };
}
