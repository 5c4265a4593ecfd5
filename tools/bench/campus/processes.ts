import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { killWithParent } from '../../common/local';

/** A built process of this repo (`node dist/…`), its last lines kept for a post-mortem, its CPU from /proc. */
export class BenchProcess {
  private readonly tail: string[] = [];
  private exited = false;
  readonly child: ChildProcess;

  constructor(
    readonly name: string,
    script: string,
    env: Record<string, string>,
    nodeArgs: string[] = [],
  ) {
    this.child = spawn(process.execPath, [...nodeArgs, script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    killWithParent(this.child);
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line) this.tail.push(line);
      if (this.tail.length > 40) this.tail.splice(0, this.tail.length - 40);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('exit', () => (this.exited = true));
  }

  static built(root: string, relative: string): string {
    return join(root, 'dist', relative);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  lastLines(): string {
    return this.tail.join('\n');
  }

  async waitHealthy(url: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`${this.name} exited during start-up:\n${this.lastLines()}`);
      if (await fetch(`${url}/health`).then((r) => r.status === 200, () => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} not healthy within ${timeoutMs} ms:\n${this.lastLines()}`);
  }

  /** CPU seconds (user + system) used so far. */
  cpuSeconds(): number {
    return cpuOf(this.pid);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }
}

function cpuOf(pid: number | string): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds of every `postgres` process (shared with whatever else uses the server). */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/stat`, 'utf8').includes('(postgres)')) total += cpuOf(pid) || 0;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
