/**
 * How long a failed event waits before its next delivery: EVENT_RETRY_BASE_MS after the first
 * failure, doubling after each one, never over EVENT_RETRY_MAX_MS. Up to a tenth more at random,
 * so events that failed together (an outbound service down) do not all come back together.
 */
export function retryDelay(failedDelivery: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const doubled = baseMs * 2 ** Math.min(Math.max(failedDelivery - 1, 0), 30);
  return Math.round(Math.min(doubled * (1 + 0.1 * random()), maxMs));
}
