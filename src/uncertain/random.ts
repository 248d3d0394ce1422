import {cosTwoPi, log} from './portable-math.js';

/**
 * A seeded pseudo-random generator: mulberry32 (Tommy Ettinger's public
 * domain 32-bit generator), uniform in [0, 1). Deterministic for a seed, so
 * the same seed gives the same Monte Carlo numbers on every machine.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A standard normal deviate from two uniforms (Box–Muller), with the portable logarithm and cosine: the same everywhere. */
export function standardNormal(random: () => number): number {
  const u = 1 - random(); // in (0, 1], so the logarithm is finite
  const v = random();
  return Math.sqrt(-2 * log(u)) * cosTwoPi(v);
}
