// The supervisor with small stand-in processes: HTTP servers answering /health for apps, an idle
// process for Postgres or nats-server. Real processes, real signals, short delays.
import { freePort } from '../common/local';
import { killAll, ManagedProcess, running } from './managed-process';
import type { AppSpec } from './plan';
import { sleep, waitForHealth } from './probe';
import type { RestartPolicy } from './supervision';
import { Supervisor } from './supervisor';

/** Serves /health; `ignoreTerm` makes it ignore SIGTERM, `exitAtOnce` makes it die at start. */
function appScript(port: number, mode: 'serve' | 'ignore-term' | 'exit-at-once'): string {
  if (mode === 'exit-at-once') return `console.log('cannot start: bad setting'); process.exit(2)`;
  const term = mode === 'ignore-term' ? `process.on('SIGTERM', () => console.log('ignoring SIGTERM'));` : '';
  return `${term} require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`;
}

const FAST: RestartPolicy = { firstDelayMs: 100, maxDelayMs: 400, stableMs: 60_000 };

interface Harness {
  supervisor: Supervisor;
  lines: string[];
  apps: AppSpec[];
  spawned: Map<string, number>;
  pid: (name: string) => number;
}

/** A supervisor over `modes.length` apps; `modeOf(app, run)` decides how each run behaves. */
async function harness(count: number, modeOf: (name: string, run: number) => Parameters<typeof appScript>[1], policy = FAST): Promise<Harness> {
  const lines: string[] = [];
  const spawned = new Map<string, number>();
  const apps: AppSpec[] = [];
  for (let i = 0; i < count; i++) apps.push({ name: `app-${i}`, port: await freePort(), schema: 'unused' });
  const supervisor = new Supervisor({
    spawnApp: (app, onExit) => {
      const run = (spawned.get(app.name) ?? 0) + 1;
      spawned.set(app.name, run);
      return new ManagedProcess({
        name: app.name,
        command: process.execPath,
        args: ['-e', appScript(app.port, modeOf(app.name, run))],
        onExit,
        stop: { order: 1, signal: 'SIGTERM', graceMs: 500 },
      });
    },
    waitHealthy: (app, deadline, gaveUp) => waitForHealth(`http://127.0.0.1:${app.port}/health`, deadline, gaveUp),
    say: (line) => lines.push(line),
    shout: (line, details) => lines.push(details ? `${line}\n${details}` : line),
    policy,
  });
  made.push(supervisor);
  const pid = (name: string) => supervisor.runOf(name)!.child.pid!;
  return { supervisor, lines, apps, spawned, pid };
}

async function until<T>(what: string, probe: () => T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const answers = async (app: AppSpec) => (await fetch(`http://127.0.0.1:${app.port}/health`).then((r) => r.status, () => 0)) === 200;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const made: Supervisor[] = [];
afterEach(async () => {
  // a failed expectation must not leave a restart loop or a stand-in behind
  await Promise.all(made.splice(0).map((s) => s.stop(0, 'test over')));
  killAll();
});

describe('Supervisor', () => {
  it('restarts a crashed app after a backoff, saying so, while the other keeps running', async () => {
    const h = await harness(2, () => 'serve');
    const deadline = Date.now() + 10_000;
    expect(await Promise.all(h.apps.map((app) => h.supervisor.startApp(app, deadline)))).toEqual([
      { ok: true, last: '200' },
      { ok: true, last: '200' },
    ]);
    const [first, other] = [h.pid('app-0'), h.pid('app-1')];

    process.kill(first, 'SIGKILL');
    await until('the restart line', () => h.lines.includes('app-0 was killed (SIGKILL): restarting it in 0.1 s (restart 1 in a row)'));
    const back = await until('app-0 back', () => h.lines.find((l) => l.startsWith('app-0 is back')));
    expect(back).toMatch(new RegExp(`^app-0 is back \\(pid ${h.pid('app-0')}\\): answers /health \\d+\\.\\d s after restart 1$`));
    expect(h.pid('app-0')).not.toBe(first);
    expect(await answers(h.apps[0])).toBe(true);

    // killed again soon after: the streak goes on, the delay doubles
    process.kill(h.pid('app-0'), 'SIGKILL');
    await until('the second restart line', () => h.lines.includes('app-0 was killed (SIGKILL): restarting it in 0.2 s (restart 2 in a row)'));
    await until('app-0 back again', () => h.spawned.get('app-0') === 3 && h.lines.some((l) => l.endsWith('after restart 2')));

    expect(h.pid('app-1')).toBe(other);
    expect(h.spawned.get('app-1')).toBe(1);
    expect(await answers(h.apps[1])).toBe(true);
    expect(h.supervisor.isStopping).toBe(false);

    expect(await h.supervisor.stop(0, 'Ctrl-C')).toBe(0);
    expect(running.size).toBe(0);
  });

  it('keeps backing off an app that crashes at every restart, and never stops the rest', async () => {
    const h = await harness(2, (name, run) => (name === 'app-0' && run > 1 ? 'exit-at-once' : 'serve'));
    const deadline = Date.now() + 10_000;
    await Promise.all(h.apps.map((app) => h.supervisor.startApp(app, deadline)));
    const other = h.pid('app-1');

    const started = Date.now();
    process.kill(h.pid('app-0'), 'SIGKILL');
    await until('five restarts', () => (h.spawned.get('app-0') ?? 0) >= 6, 15_000);
    const elapsed = Date.now() - started;
    const restartLines = h.lines.filter((l) => l.includes('restarting'));
    expect(restartLines.slice(0, 5)).toEqual([
      'app-0 was killed (SIGKILL): restarting it in 0.1 s (restart 1 in a row)',
      'app-0 exited (code 2): restarting it in 0.2 s (restart 2 in a row)',
      'app-0 exited (code 2): restarting it in 0.4 s (restart 3 in a row)',
      'app-0 exited (code 2): restarting it in 0.4 s (restart 4 in a row)',
      'app-0 exited (code 2): restarting it in 0.4 s (restart 5 in a row)',
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(100 + 200 + 400 + 400 + 400);
    expect(h.supervisor.isStopping).toBe(false);
    expect(h.pid('app-1')).toBe(other);
    expect(await answers(h.apps[1])).toBe(true);

    await h.supervisor.stop(0, 'Ctrl-C');
    expect(running.size).toBe(0);
  });

  it('stops everything when an app dies before it ever answered /health', async () => {
    const h = await harness(2, (name) => (name === 'app-0' ? 'exit-at-once' : 'serve'));
    const deadline = Date.now() + 10_000;
    const [failed] = await Promise.all(h.apps.map((app) => h.supervisor.startApp(app, deadline)));
    expect(failed.ok).toBe(false);
    expect(await h.supervisor.done).toBe(1);
    expect(h.lines[0]).toBe('app-0 exited (code 2) before it ever answered /health: stopping app-1');
    expect(h.lines[1]).toBe("app-0's last lines:\n    cannot start: bad setting");
    expect(h.spawned.get('app-0')).toBe(1);
    expect(running.size).toBe(0);
  });

  it('stops the apps (SIGTERM, then SIGKILL after the grace period) and the rest when nats-server dies, and says which', async () => {
    const h = await harness(2, (name) => (name === 'app-1' ? 'ignore-term' : 'serve'));
    const idle = (name: string, order: number) => {
      const proc: ManagedProcess = new ManagedProcess({
        name,
        command: process.execPath,
        args: ['-e', 'setInterval(() => {}, 1e6)'],
        onExit: () => h.supervisor.infrastructureExited(proc, `.data/${name}.log`),
        stop: { order, signal: 'SIGTERM', graceMs: 500 },
      });
      return proc;
    };
    const nats = idle('nats-server', 2);
    const postgres = idle('postgres', 3);
    const deadline = Date.now() + 10_000;
    await Promise.all(h.apps.map((app) => h.supervisor.startApp(app, deadline)));
    const appPids = [h.pid('app-0'), h.pid('app-1')];

    process.kill(nats.child.pid!, 'SIGKILL');
    expect(await h.supervisor.done).toBe(1);
    expect(h.lines[0]).toBe('nats-server was killed (SIGKILL), see .data/nats-server.log: stopping app-0, app-1, postgres');
    // apps first (the one ignoring SIGTERM killed at the end of its grace), Postgres last
    expect(h.lines.slice(1)).toEqual(['app-0 stopped', 'app-1 stopped (killed after the grace period)', 'postgres stopped']);
    expect(h.lines.filter((l) => l.includes('restarting'))).toEqual([]);
    for (const pid of [...appPids, postgres.child.pid!]) expect(alive(pid)).toBe(false);
    expect(running.size).toBe(0);
  });

  it('cancels a pending restart when everything stops', async () => {
    const h = await harness(1, () => 'serve', { ...FAST, firstDelayMs: 400 });
    await h.supervisor.startApp(h.apps[0], Date.now() + 10_000);
    process.kill(h.pid('app-0'), 'SIGKILL');
    await until('the restart line', () => h.lines.some((l) => l.includes('restarting it in 0.4 s')));
    expect(await h.supervisor.stop(0, 'Ctrl-C')).toBe(0);
    await sleep(600);
    expect(h.spawned.get('app-0')).toBe(1);
    expect(running.size).toBe(0);
  });
});
