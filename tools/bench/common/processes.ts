// The processes a benchmark measures: a service from dist/ and a baseline server, each its own
// Node process (the load generator is another, see load.ts), killed with the benchmark.
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { freePort, killWithParent } from '../../common/local';

/** dist/ (this file runs from dist/tools/bench/common). */
export const DIST = join(__dirname, '..', '..', '..');

export interface Proc {
  pid: number;
  url: string;
  child: ChildProcess;
  /** The last lines it printed, for an error message. */
  lastLines(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  env: Record<string, string>;
  /** Node flags (e.g. `--max-semi-space-size=1`); BENCH_NODE_ARGS adds to a service's. */
  nodeArgs?: string[];
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spawnNode(script: string, port: number, options: StartOptions): Omit<Proc, 'url'> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killWithParent(child);
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  // BENCH_SERVICE_LOG=<file>: everything the processes print.
  if (process.env.BENCH_SERVICE_LOG) {
    const file = createWriteStream(process.env.BENCH_SERVICE_LOG, { flags: 'a' });
    child.stdout!.pipe(file);
    child.stderr!.pipe(file);
  }
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
  return { pid: child.pid!, child, lastLines: () => tail.join('\n'), stop };
}

/** Waits until `probe` says yes, or fails with the process's last lines if it exits or the time runs out. */
async function until(proc: Omit<Proc, 'url'>, what: string, timeoutMs: number, probe: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${what} exited during start-up:\n${proc.lastLines()}`);
    if (await probe()) return;
    await sleep(100);
  }
  await proc.stop();
  throw new Error(`${what} not ready within ${timeoutMs} ms:\n${proc.lastLines()}`);
}

/** `node dist/apps/<app>/src/main.js` on a free port, once its /health answers 200. */
export async function startService(app: string, options: StartOptions): Promise<Proc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const nodeArgs = [...(options.nodeArgs ?? []), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  // BENCH_SERVICE_ENV="IDENTIFY_WRITERS=1 DB_POOL_SIZE=10": settings to try on the service alone.
  const extra = Object.fromEntries((process.env.BENCH_SERVICE_ENV ?? '').split(' ').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const proc = spawnNode(join(DIST, 'apps', app, 'src', 'main.js'), port, { ...options, env: { ...options.env, ...extra }, nodeArgs });
  await until(proc, app, options.timeoutMs ?? 60_000, () => fetch(`${url}/health`).then((r) => r.ok, () => false));
  return { ...proc, url };
}

/** A baseline server (a script under dist/) on a free port, once it prints `ready` (it reads PORT). */
export async function startBaseline(script: string, options: StartOptions): Promise<Proc> {
  const port = await freePort();
  const proc = spawnNode(join(DIST, script), port, options);
  let ready = false;
  proc.child.stdout!.on('data', (chunk: Buffer) => (ready ||= /^ready\b/m.test(chunk.toString())));
  await until(proc, script, options.timeoutMs ?? 120_000, () => ready);
  return { ...proc, url: `http://127.0.0.1:${port}` };
}
