// A child process the launcher owns: its output is relayed line by line, its last lines kept for
// error messages, and it is stopped with a chosen signal and a deadline.
//
// Every child is spawned `detached` (its own process group) on purpose: Ctrl-C in a terminal
// signals the whole foreground group at once, which would stop Postgres and NATS while the apps
// are still draining. Detached, only the launcher sees Ctrl-C and stops things in order.
import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Tail } from './format';
import { describeExit } from './supervision';

export interface ManagedOptions {
  name: string;
  command: string;
  args: string[];
  spawn?: SpawnOptions;
  /** Called for each output line (stdout and stderr); the tail is kept either way. */
  onLine?: (line: string) => void;
  /** Called once when the process ends, whatever the reason. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** How to stop it: lower `order` stops first (apps, then NATS, then Postgres). */
  stop: { order: number; signal: NodeJS.Signals; graceMs: number };
}

/**
 * Every process the launcher started and that still runs, registered at spawn time so a
 * Ctrl-C that lands in the middle of start-up still finds everything to stop.
 */
export const running = new Set<ManagedProcess>();

export class ManagedProcess {
  readonly tail = new Tail();
  readonly child: ChildProcess;
  exited = false;
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  /** Set once we asked it to stop: its exit is then no surprise to report. */
  stopRequested = false;
  private readonly exitPromise: Promise<void>;

  constructor(readonly options: ManagedOptions) {
    this.child = spawn(options.command, options.args, { ...options.spawn, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this);
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.tail.push(line);
        options.onLine?.(line);
      });
    }
    this.exitPromise = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exited) return;
        this.exited = true;
        this.exitCode = code;
        this.exitSignal = signal;
        running.delete(this);
        options.onExit?.(code, signal);
        resolve();
      };
      // 'close', not 'exit': it comes after stdout/stderr are drained, so the tail is complete.
      this.child.once('close', finish);
      // spawn failures (ENOENT, EACCES) emit 'error' and possibly no 'exit'
      this.child.once('error', (error) => {
        this.tail.push(`spawn failed: ${error.message}`);
        finish(null, null);
      });
    });
  }

  describeExit(): string {
    return describeExit({ code: this.exitCode, signal: this.exitSignal });
  }

  /** Resolves when the process has ended or after `ms` (then false). */
  async waitExit(ms: number): Promise<boolean> {
    if (this.exited) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const result = await Promise.race([this.exitPromise.then(() => true), timedOut]);
    clearTimeout(timer);
    return result;
  }

  /** `signal`, then SIGKILL after `graceMs`; true when it went on its own. */
  async stop(signal = this.options.stop.signal, graceMs = this.options.stop.graceMs): Promise<boolean> {
    if (this.exited) return true;
    this.stopRequested = true;
    this.signal(signal);
    if (await this.waitExit(graceMs)) return true;
    this.signal('SIGKILL');
    await this.waitExit(2000);
    return false;
  }

  /**
   * Signals the process itself (Postgres wants only its postmaster signalled; its workers read
   * SIGINT differently); SIGKILL goes to the whole group so no worker outlives it.
   */
  signal(signal: NodeJS.Signals): void {
    if (this.exited || !this.child.pid) return;
    try {
      process.kill(signal === 'SIGKILL' ? -this.child.pid : this.child.pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Stops every running process in `stop.order` groups (a group in parallel); SIGKILL after grace. */
export async function stopAll(onStopped?: (proc: ManagedProcess, clean: boolean) => void): Promise<void> {
  const orders = [...new Set([...running].map((p) => p.options.stop.order))].sort((a, b) => a - b);
  for (const order of orders) {
    const group = [...running].filter((p) => p.options.stop.order === order);
    await Promise.all(group.map(async (p) => onStopped?.(p, await p.stop())));
  }
}

/** Last resort on an abrupt exit: synchronous SIGKILL to whatever is left, never orphans. */
export function killAll(): void {
  for (const proc of running) proc.signal('SIGKILL');
}
