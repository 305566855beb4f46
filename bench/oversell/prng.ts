// Seeded random numbers for the oversell simulation (mulberry32), with the few distributions it draws from.
// Every stream is derived from (seed, stream name), so the demand of a seed is the same whatever buffer runs.

export type Uniform = () => number;

/** mulberry32: uniform in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Uniform {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent stream for one purpose of one seed (FNV-1a of the name mixed into the seed). */
export function stream(seed: number, name: string): Uniform {
  let h = 0x811c9dc5 ^ Math.imul(seed >>> 0, 0x9e3779b1);
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return mulberry32(h >>> 0);
}

/** Exponential with the given rate (mean 1/rate). */
export function exponential(u: Uniform, rate: number): number {
  return -Math.log(1 - u()) / rate;
}

/** Standard normal (Box–Muller). */
export function normal(u: Uniform): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Log-normal with the given median and σ of the log. */
export function logNormal(u: Uniform, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(u));
}

export function between(u: Uniform, lo: number, hi: number): number {
  return lo + (hi - lo) * u();
}

/** Uniform integer in [lo, hi]. */
export function intBetween(u: Uniform, lo: number, hi: number): number {
  return lo + Math.floor(u() * (hi - lo + 1));
}
