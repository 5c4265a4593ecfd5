/**
 * Trouble the fake makes when told to (control API), for the bridge's retries and stale-copy
 * handling:
 * - `http-503`, `http-500`: that HTTP status, a plain-text body;
 * - `http-429`: Too Many Requests with `Retry-After` (seconds, default 0);
 * - `rate-limit`: HTTP 200 `{success: false, code: 1199, msg: "your requests are too frequent"}`;
 * - `system-error`: HTTP 200 `{success: false, code: 500, msg: "system error, please contact the admin"}`;
 * - `slow`: answers after `delayMs` (past the client's timeout);
 * - `reset`: closes the connection without an answer.
 */
export const FAULT_KINDS = ['http-503', 'http-500', 'http-429', 'rate-limit', 'system-error', 'slow', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  kind: FaultKind;
  /** Requests it applies to, then it is gone. */
  remaining: number;
  /** Only requests whose path starts with this (default: every signed-API request, token calls included). */
  path?: string;
  delayMs?: number;
  retryAfterS?: number;
}

/** Queued faults (count-limited) and an outage (every request until lifted). */
export class Faults {
  private queue: Fault[] = [];
  outage: 'http-503' | 'reset' | undefined;

  add(fault: Fault): void {
    if (!FAULT_KINDS.includes(fault.kind)) throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
    if (!Number.isInteger(fault.remaining) || fault.remaining < 1) throw new Error('count must be a positive integer');
    this.queue.push(fault);
  }

  clear(): void {
    this.queue = [];
    this.outage = undefined;
  }

  /** The fault this request meets, if any (spends one of its count). */
  take(path: string): Fault | undefined {
    if (this.outage) return { kind: this.outage, remaining: Infinity };
    const fault = this.queue.find((f) => !f.path || path.startsWith(f.path));
    if (!fault) return undefined;
    if (--fault.remaining <= 0) this.queue.splice(this.queue.indexOf(fault), 1);
    return fault;
  }

  pending(): Fault[] {
    return this.queue.map((f) => ({ ...f }));
  }
}
