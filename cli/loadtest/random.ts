/** A seeded generator (mulberry32): the same seed gives the same arrivals and prompt order. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Poisson arrival times (ms from the start) at `rate` per second, rising linearly from 0 over
 * `rampMs` (inversion of the integrated rate, so the ramp is exact, not stepped).
 */
export function poissonArrivals(rate: number, durationMs: number, rampMs: number, random: () => number): number[] {
  const out: number[] = [];
  // Λ(t): expected arrivals by t. Draw unit-rate exponential gaps in Λ and invert.
  const perMs = rate / 1000;
  const rampArrivals = (perMs * rampMs) / 2;
  const inverse = (L: number) => (L <= rampArrivals ? (rampMs > 0 ? Math.sqrt((2 * L * rampMs) / perMs) : 0) : rampMs + (L - rampArrivals) / perMs);
  let L = 0;
  for (;;) {
    L += -Math.log(1 - random());
    const t = inverse(L);
    if (t >= durationMs) return out;
    out.push(t);
  }
}
