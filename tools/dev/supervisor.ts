// Keeps the apps running and stops everything in order: acts on supervision.ts's decisions with
// timers, processes and console lines. Spawning and health checks are passed in, so a spec can
// drive it with small stand-in processes.
import { renderLogLine, seconds } from './format';
import { ManagedProcess, running, stopAll } from './managed-process';
import type { ServiceSpec } from './plan';
import { decideOnExit, ExitDecision, RESTART_POLICY, RestartPolicy } from './supervision';

export interface SupervisorOptions {
  /** Starts one run of an app; `onExit` must become the process's own onExit. */
  spawnApp: (app: ServiceSpec, onExit: () => void) => ManagedProcess;
  /** Polls the app's /health until 200 (ok), until `deadline`, or until `gaveUp()`. */
  waitHealthy: (app: ServiceSpec, deadline: number, gaveUp: () => boolean) => Promise<{ ok: boolean; last: string }>;
  say: (line: string) => void;
  /** A failure line; `details` (indented output lines) printed under it as they are. */
  shout: (line: string, details?: string) => void;
  policy?: RestartPolicy;
}

interface AppState {
  app: ServiceSpec;
  run?: ManagedProcess;
  everHealthy: boolean;
  /** When the current run first answered /health. */
  healthyAt: number | null;
  restartsInARow: number;
  pendingRestart?: NodeJS.Timeout;
}

export class Supervisor {
  private readonly apps = new Map<string, AppState>();
  private stopping: Promise<number> | null = null;
  private finish!: (code: number) => void;
  /** Resolves with the exit code once everything started has stopped, whoever asked. */
  readonly done = new Promise<number>((resolve) => (this.finish = resolve));

  constructor(private readonly options: SupervisorOptions) {}

  get isStopping(): boolean {
    return this.stopping !== null;
  }

  /** The app's current run (a new process after each restart). */
  runOf(name: string): ManagedProcess | undefined {
    return this.apps.get(name)?.run;
  }

  /** First run of an app: resolves once it answers /health, or not by `deadline`. */
  async startApp(app: ServiceSpec, deadline: number): Promise<{ ok: boolean; last: string }> {
    const state: AppState = { app, everHealthy: false, healthyAt: null, restartsInARow: 0 };
    this.apps.set(app.name, state);
    const run = this.spawn(state);
    const health = await this.options.waitHealthy(app, deadline, () => run.exited || this.isStopping);
    if (health.ok) this.markHealthy(state, run);
    return health;
  }

  /** Called when Postgres or nats-server that the launcher started ends; `log` holds its output. */
  readonly infrastructureExited = (proc: ManagedProcess, log?: string): void => {
    const decision = decideOnExit({ role: 'infrastructure', name: proc.options.name, expected: this.isStopping || proc.stopRequested, exit: exitOf(proc) });
    this.act(decision.kind === 'stop-all' && log ? { ...decision, why: `${decision.why}, see ${log}` } : decision, proc);
  };

  /**
   * Stops every process it started in order (apps, then NATS, then Postgres; SIGTERM or the
   * process's own signal, SIGKILL after its grace period) and resolves `done` with `code`.
   * Only the first call counts; later ones get its result.
   */
  stop(code: number, why: string): Promise<number> {
    this.stopping ??= this.stopEverything(code, why);
    return this.stopping;
  }

  private async stopEverything(code: number, why: string): Promise<number> {
    for (const state of this.apps.values()) clearTimeout(state.pendingRestart);
    // In stop order; apps in the order they were started, however often they restarted.
    const started = [...this.apps.keys()];
    const rank = (p: ManagedProcess) => p.options.stop.order * 1000 + started.indexOf(p.options.name);
    const names = [...running].sort((a, b) => rank(a) - rank(b)).map((p) => p.options.name);
    if (names.length) (code === 0 ? this.options.say : this.options.shout)(`${why}: stopping ${names.join(', ')}`);
    await stopAll((proc, clean) => this.options.say(`${proc.options.name} stopped${clean ? '' : ' (killed after the grace period)'}`));
    this.finish(code);
    return code;
  }

  private spawn(state: AppState): ManagedProcess {
    const run: ManagedProcess = this.options.spawnApp(state.app, () => this.appExited(state, run));
    state.run = run;
    state.healthyAt = null;
    return run;
  }

  private markHealthy(state: AppState, run: ManagedProcess): void {
    if (state.run !== run || run.exited) return;
    state.everHealthy = true;
    state.healthyAt = Date.now();
  }

  private appExited(state: AppState, run: ManagedProcess): void {
    const decision = decideOnExit(
      {
        role: 'app',
        name: state.app.name,
        expected: this.isStopping || run.stopRequested,
        exit: exitOf(run),
        everHealthy: state.everHealthy,
        healthyAt: state.healthyAt,
        exitedAt: Date.now(),
        restartsInARow: state.restartsInARow,
      },
      this.options.policy ?? RESTART_POLICY,
    );
    if (decision.kind !== 'restart') return this.act(decision, run);
    state.restartsInARow = decision.restart;
    this.options.shout(decision.line);
    state.pendingRestart = setTimeout(() => this.restart(state, decision.restart), decision.delayMs);
  }

  private restart(state: AppState, restart: number): void {
    if (this.isStopping) return;
    const started = Date.now();
    const run = this.spawn(state);
    // No deadline: an app that cannot get healthy again exits (and is restarted) or stays
    // unhealthy, which its own /health and log lines say.
    void this.options.waitHealthy(state.app, Infinity, () => run.exited || this.isStopping).then(({ ok }) => {
      if (!ok || run.exited || this.isStopping) return;
      this.markHealthy(state, run);
      this.options.say(`${state.app.name} is back (pid ${run.child.pid}): answers /health ${seconds(Date.now() - started)} after restart ${restart}`);
    });
  }

  private act(decision: ExitDecision, proc: ManagedProcess): void {
    if (decision.kind !== 'stop-all') return;
    void this.stop(1, decision.why);
    if (decision.showTail) this.options.shout(`${proc.options.name}'s last lines:`, proc.tail.text('    ', renderLogLine));
  }
}

function exitOf(proc: ManagedProcess): { code: number | null; signal: NodeJS.Signals | null } {
  return { code: proc.exitCode, signal: proc.exitSignal };
}
