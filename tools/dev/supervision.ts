// What the launcher does when a process it started ends (pure, no I/O; supervisor.ts acts on it).
// An app that crashes is restarted with a growing delay, and the others keep serving: each app
// rides out the others' absence already (outbox, retries). Postgres or NATS started here dying
// stops everything: every app depends on them, and restarting a database under them would hide
// why it died. A server the launcher did not start is not its to watch.
import { seconds } from './format';

export interface RestartPolicy {
  /** Delay before the first restart in a row; doubles with each further one. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A run that stayed up this long after answering /health ends a crash streak. */
  stableMs: number;
}

export const RESTART_POLICY: RestartPolicy = { firstDelayMs: 1000, maxDelayMs: 30_000, stableMs: 60_000 };

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** "exited (code 1)" / "was killed (SIGKILL)": the part of every line that says how it ended. */
export function describeExit({ code, signal }: ExitStatus): string {
  return signal ? `was killed (${signal})` : `exited (code ${code ?? '?'})`;
}

/** Delay before restart number `restart` (1-based) of a streak: 1 s, 2 s, 4 s … capped. */
export function restartDelay(restart: number, policy: RestartPolicy = RESTART_POLICY): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, restart - 1));
}

interface ProcessExit {
  name: string;
  /** We asked it to stop, or everything is stopping: nothing to report. */
  expected: boolean;
  exit: ExitStatus;
}

/** Postgres or nats-server, started by the launcher. */
export interface InfrastructureExit extends ProcessExit {
  role: 'infrastructure';
}

export interface AppExit extends ProcessExit {
  role: 'app';
  /** Whether any run of this app ever answered /health. */
  everHealthy: boolean;
  /** When this run first answered /health; null when it never did. */
  healthyAt: number | null;
  exitedAt: number;
  /** Restarts in the current streak before this exit. */
  restartsInARow: number;
}

export type ExitFacts = InfrastructureExit | AppExit;

export type ExitDecision =
  | { kind: 'expected' }
  | { kind: 'restart'; delayMs: number; /** 1-based number in the streak */ restart: number; line: string }
  | { kind: 'stop-all'; why: string; /** show its last output lines (they are not on the console) */ showTail: boolean };

export function decideOnExit(facts: ExitFacts, policy: RestartPolicy = RESTART_POLICY): ExitDecision {
  const how = `${facts.name} ${describeExit(facts.exit)}`;
  if (facts.expected) return { kind: 'expected' };
  // Its output is in its own log file, not on the console; the line names the server only.
  if (facts.role === 'infrastructure') return { kind: 'stop-all', why: how, showTail: false };
  // Never healthy since `npm start`: a bad setting, a port taken, a broken build. It would fail
  // the same way again, so say so at once instead of retrying it forever.
  if (!facts.everHealthy) return { kind: 'stop-all', why: `${how} before it ever answered /health`, showTail: true };
  const stable = facts.healthyAt !== null && facts.exitedAt - facts.healthyAt >= policy.stableMs;
  const restart = (stable ? 0 : facts.restartsInARow) + 1;
  const delayMs = restartDelay(restart, policy);
  return { kind: 'restart', delayMs, restart, line: `${how}: restarting it in ${seconds(delayMs)} (restart ${restart} in a row)` };
}
