import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '..', '..', '..', '..');

export interface FakeRequest {
  seq: number;
  method: string;
  path: string;
  outcome: string;
}

/**
 * The Tuya Cloud fake (`npm run sim:tuya`, tools/sim/tuya-cloud.ts) in its own process, driven
 * through its control API as an operator of `npm start` would. Its own process so that "Tuya
 * down" can also be the process gone, and because an app's tests may not import tools/.
 */
export class TuyaFake {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(credentials: { clientId: string; secret: string }, args: string[] = []): Promise<TuyaFake> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'tools/sim/tuya-cloud.ts', '--port', '0', '--persons', '0', ...args], {
      cwd: ROOT,
      env: { ...process.env, TUYA_CLIENT_ID: credentials.clientId, TUYA_CLIENT_SECRET: credentials.secret },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the Tuya fake did not start within 15 s')), 15_000);
      child.once('exit', (code) => reject(new Error(`the Tuya fake exited (${code})`)));
      createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        const found = /listening on (http:\/\/\S+)/.exec(line);
        if (found) resolve(found[1]);
        else reject(new Error(`unexpected first line from the Tuya fake: ${line}`));
      });
    });
    child.stdout!.resume();
    return new TuyaFake(child, url);
  }

  async control<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/control${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    const answer = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`fake control ${method} ${path}: ${answer.error}`);
    return answer;
  }

  seed(projectId: string, persons: number, cardsPerPerson: number, extra: { disabledEvery?: number; frozenEvery?: number } = {}) {
    return this.control('POST', '/seed', { projectId, persons, cardsPerPerson, ...extra });
  }

  putCard(projectId: string, personCardId: string, fields: Record<string, unknown>) {
    return this.control('PUT', `/projects/${projectId}/cards/${personCardId}`, fields);
  }

  putPerson(projectId: string, personId: string, fields: Record<string, unknown>) {
    return this.control('PUT', `/projects/${projectId}/persons/${personId}`, fields);
  }

  person(projectId: string, personId: string) {
    return this.control('GET', `/projects/${projectId}/persons/${personId}`);
  }

  /** Requests the fake answered after sequence `since`. */
  requests(since = 0): Promise<FakeRequest[]> {
    return this.control('GET', `/requests?since=${since}`);
  }

  async lastSeq(): Promise<number> {
    const all = await this.requests();
    return all.length === 0 ? 0 : all[all.length - 1].seq;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
