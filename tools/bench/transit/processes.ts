// Child processes of the benchmark: the service and the baseline server, their RSS, and the
// database they share.
import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { ensureDatabase } from '@onecard/platform';
import { killWithParent } from '../../common/local';
import { Client } from 'pg';

function ticks(statPath: string): number {
  const fields = readFileSync(statPath, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU time (user + system) a process and its children (WORKERS) have used so far, every thread, ms (from /proc; 10 ms ticks). */
export function cpuMs(pid: number): number {
  let total = ticks(`/proc/${pid}/stat`);
  for (const id of childPids(pid)) total += ticks(`/proc/${id}/stat`);
  return total * 10;
}

/**
 * CPU time of the thread that answers requests, ms: the process's main thread (JavaScript's
 * event loop), or its children's with WORKERS (the cluster primary answers nothing). Without
 * libuv's pool, V8's GC helpers or worker threads such as the outbox relay.
 */
export function requestThreadCpuMs(pid: number): number {
  const children = childPids(pid);
  const ids = children.length > 0 ? children : [pid];
  return ids.reduce((total, id) => total + ticks(`/proc/${id}/task/${id}/stat`), 0) * 10;
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU time every process on the machine has used so far, ms (from /proc/stat: user, system and interrupts; not idle, iowait or steal). */
export function machineCpuMs(): number {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq] = values.map(Number);
  return (user + nice + system + irq + softirq) * 10;
}

/** CPU ticks so far of every process named `name` (its /proc comm: `postgres`, `nats-server`), by pid. */
export function namedCpu(name: string): Map<string, number> {
  const byPid = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) byPid.set(entry, ticks(`/proc/${entry}/stat`));
    } catch {
      // gone since the listing
    }
  }
  return byPid;
}

/**
 * CPU time, ms, those processes have used since `before` was taken (new ones count whole). What
 * a process used before exiting in between is not seen: Postgres backends of the benchmark stay.
 */
export function namedCpuMsSince(name: string, before: Map<string, number>): number {
  let total = 0;
  for (const [pid, now] of namedCpu(name)) total += now - (before.get(pid) ?? 0);
  return total * 10;
}

/** Resident set size of a process, MB (from /proc). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** Samples a process's RSS every `ms` until stopped; reports the peak. */
export function sampleRss(pid: number, ms = 10): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      // exited
    }
  }, ms);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

export interface Started {
  child: ChildProcess;
  pid: number;
  output: string[];
  stop(): Promise<void>;
}

/**
 * Starts `node <script>` and resolves once its output matches `ready` (at once when there is no
 * pattern), or rejects if it exits first.
 */
export function startNode(
  script: string,
  env: Record<string, string>,
  ready?: RegExp,
  timeoutMs = 60_000,
  nodeArgs: string[] = [],
): Promise<Started & { match?: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    killWithParent(child);
    const output: string[] = [];
    let settled = false;
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      });
    const timer = setTimeout(() => fail(new Error(`${script}: not ready within ${timeoutMs} ms\n${output.slice(-20).join('')}`)), timeoutMs);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      if (output.length > 200) output.shift();
      const match = ready?.exec(text);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, pid: child.pid!, output, stop, match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`${script} exited with ${code}\n${output.slice(-20).join('')}`)));
    if (!ready) {
      settled = true;
      clearTimeout(timer);
      resolve({ child, pid: child.pid!, output, stop });
    }
  });
}

export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the benchmark database if missing and gives the benchmark a fresh schema. */
export async function prepareDatabase(url: string, schema: string): Promise<void> {
  await ensureDatabase(url);
  await withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}
