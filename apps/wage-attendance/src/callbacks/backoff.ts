/**
 * Wait before a callback's next attempt after its `failures`-th failure: base doubled per failure
 * up to max, scaled by a random factor in [0.5, 1] so devices failing together spread out.
 */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(exponential * (0.5 + random() / 2));
}
