import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { killWithParent } from '../../common/local';

/** card-issuance as `node dist/apps/card-issuance/src/main.js`, its output kept for a post-mortem. */
export class ServiceProcess {
  private readonly tail: string[] = [];
  private exited = false;
  readonly child: ChildProcess;

  constructor(root: string, env: Record<string, string>) {
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.child = spawn(process.execPath, [...nodeArgs, join(root, 'dist', 'apps', 'card-issuance', 'src', 'main.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    killWithParent(this.child);
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line) this.tail.push(line);
      if (this.tail.length > 40) this.tail.splice(0, this.tail.length - 40);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    // Diagnostics: BENCH_SERVICE_LOG=<file> keeps everything the service prints.
    if (process.env.BENCH_SERVICE_LOG) {
      const log = createWriteStream(process.env.BENCH_SERVICE_LOG);
      this.child.stdout?.pipe(log);
      this.child.stderr?.pipe(log);
    }
    this.child.on('exit', () => (this.exited = true));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  lastLines(): string {
    return this.tail.join('\n');
  }

  async waitHealthy(url: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`card-issuance exited during start-up:\n${this.lastLines()}`);
      const ok = await fetch(`${url}/health`).then((r) => r.status === 200, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`card-issuance not healthy within ${timeoutMs} ms:\n${this.lastLines()}`);
  }

  /** CPU seconds (user + system) the service has used so far, from /proc (Linux). */
  cpuSeconds(): number {
    try {
      const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return NaN;
    }
  }

  /** CPU seconds used so far by every process named `postgres` (the server is shared: includes other clients' work). */
  static postgresCpuSeconds(): number {
    let total = 0;
    try {
      for (const pid of readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          if (!stat.includes('(postgres)')) continue;
          const fields = stat.split(') ')[1].split(' ');
          total += (Number(fields[11]) + Number(fields[12])) / 100;
        } catch {
          // gone meanwhile
        }
      }
    } catch {
      return NaN;
    }
    return total;
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
