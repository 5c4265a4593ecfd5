import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { queryAs, TEST_DATABASE_URL } from '@onecard/testing';
import { freePort } from '../common/local';
import { APPS, CONSOLE } from '../dev/plan';
import { isPortFree } from '../dev/probe';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/** A base for DEV_PORT_BASE whose six ports (the apps', the console's) are free now. */
async function freePortBase(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const ports = [...APPS, CONSOLE].map((_, i) => base + i + 1);
    if ((await Promise.all(ports.map((p) => isPortFree(p, '0.0.0.0')))).every(Boolean)) return base;
  }
}

const health = (port: number) => fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, (e: Error) => e.message);

/**
 * The built launcher (`npm start` without the build) against the machine's Postgres, with a
 * database and a login of its own (which may not create roles, so the apps log in as it), and a
 * NATS_URL on a free port where nothing answers, so it starts a nats-server of its own (a
 * fraction of a second; the one server a test may kill). Ports of its own too.
 */
describe('npm start: supervision', () => {
  const tag = randomBytes(4).toString('hex');
  const login = `onecard_sup_${tag}`;
  const dir = mkdtempSync(join(tmpdir(), 'onecard-launcher-'));
  let natsPort: number;
  let base: number;
  let launcher: ChildProcess;
  let exited: Promise<number | null>;
  let out = '';
  let err = '';
  const port = (name: string) => base + APPS.findIndex((a) => a.name === name) + 1;

  /** Resolves once the launcher printed a line matching `pattern` (stdout or stderr). */
  const printed = async (pattern: RegExp, ms: number): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const match = pattern.exec(out) ?? pattern.exec(err);
      if (match) return match;
      if (launcher.exitCode !== null || launcher.signalCode !== null || Date.now() > deadline) throw new Error(`launcher did not print ${pattern}; stdout:\n${out.slice(-4000)}\nstderr:\n${err.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  /** Every process running from this test's build, whoever started it. */
  const leftovers = async () =>
    (await run('pgrep', ['-f', dir]).then((r) => r.stdout, () => ''))
      .split('\n')
      .filter(Boolean)
      .map(Number);

  beforeAll(async () => {
    // Built into a directory of its own: the launcher's root (and .data) is that directory.
    await run(process.execPath, ['tools/build.mjs', '--out', join(dir, 'dist')], { cwd: root });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    await queryAs(TEST_DATABASE_URL, `CREATE ROLE ${login} LOGIN`);
    await queryAs(TEST_DATABASE_URL, `CREATE DATABASE ${login} OWNER ${login}`);
    const url = new URL(TEST_DATABASE_URL);
    [url.username, url.password, url.pathname] = [login, '', `/${login}`];
    const databaseUrl = url.toString();
    natsPort = await freePort();
    base = await freePortBase();
    const env: Record<string, string | undefined> = {
      ...process.env,
      NATS_URL: `nats://127.0.0.1:${natsPort}`,
      NODE_ENV: 'development',
      NO_COLOR: '1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      DEV_PORT_BASE: String(base),
    };
    launcher = spawn(process.execPath, [join(dir, 'dist', 'tools', 'dev', 'main.js')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    launcher.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    launcher.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    exited = new Promise((resolve) => launcher.once('exit', (code) => resolve(code)));
    await printed(/OneCard is up/, 80_000);
  }, 100_000);

  afterAll(async () => {
    if (launcher?.exitCode === null) {
      launcher.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    }
    // Whatever is left (the launcher killed hard, an app it could not stop): by pid, ours only.
    for (const pid of await leftovers()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await queryAs(TEST_DATABASE_URL, `DROP DATABASE IF EXISTS ${login} WITH (FORCE)`);
    await queryAs(TEST_DATABASE_URL, `DROP ROLE IF EXISTS ${login}`);
    rmSync(dir, { recursive: true, force: true });
  }, 40_000);

  it('restarts a killed app, says so, and the other apps never stop answering', async () => {
    expect(out).toMatch(`Postgres postgres://${login}@127.0.0.1:5432/${login} (reachable)`);
    expect(out).toMatch(`NATS     nats://127.0.0.1:${natsPort} (nats-server -js, started here`);
    const row = new RegExp(`^card-issuance +http://127\\.0\\.0\\.1:${port('card-issuance')} .* (\\d+)$`, 'm').exec(out);
    const pid = Number(row?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(await health(port('card-issuance'))).toBe(200);

    // Poll the other four the whole time card-issuance is away and back.
    const others = APPS.filter((a) => a.name !== 'card-issuance');
    const failures: string[] = [];
    let polls = 0;
    let polling = true;
    const pollers = others.map(async (app) => {
      while (polling) {
        const status = await health(port(app.name));
        polls++;
        if (status !== 200) failures.push(`${app.name}: ${status}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    });

    process.kill(pid, 'SIGKILL');
    await printed(/card-issuance was killed \(SIGKILL\): restarting it in 1\.0 s \(restart 1 in a row\)/, 10_000);
    const back = await printed(/card-issuance is back \(pid (\d+)\): answers \/health [\d.]+ s after restart 1/, 40_000);
    expect(Number(back[1])).not.toBe(pid);
    expect(await health(port('card-issuance'))).toBe(200);
    polling = false;
    await Promise.all(pollers);

    expect(failures).toEqual([]);
    expect(polls).toBeGreaterThan(4 * 5);
    expect(launcher.exitCode).toBeNull();
  }, 60_000);

  it('stops every app and exits 1 when the nats-server it started dies, saying so in one line', async () => {
    expect(out).toMatch(`NATS_URL nats://127.0.0.1:${natsPort} does not answer: starting`);
    const pids = (await run('pgrep', ['-f', join(dir, '.data', 'nats')])).stdout.trim().split('\n');
    expect(pids).toHaveLength(1);
    const [outFrom, errFrom] = [out.length, err.length];
    process.kill(Number(pids[0]), 'SIGKILL');
    expect(await exited).toBe(1);
    const [said, shouted] = [out.slice(outFrom), err.slice(errFrom)];
    // one line naming the server and what stops; nothing else on stderr
    expect(shouted).toMatch(/^npm start +│ nats-server was killed \(SIGKILL\), see \.data\/nats\.log: stopping card-issuance, transit-validation, campus-card, wage-attendance, tuya-bridge, operator-console\n$/);
    for (const app of [...APPS, CONSOLE]) expect(said).toMatch(new RegExp(`${app.name} stopped( \\(killed after the grace period\\))?\n`));
    for (const app of APPS) expect(typeof (await health(port(app.name)))).toBe('string');
    expect(await leftovers()).toEqual([]);
  }, 40_000);
});
