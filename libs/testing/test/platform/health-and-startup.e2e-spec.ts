import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetWhitelistEntryReply, Rpc } from '@onecard/contracts';
import { RpcClient } from '@onecard/messaging';
import { dropSchema, eventually, startTestApp, TcpProxy, TEST_DATABASE_URL, TEST_NATS_URL, TestApp, TestBus } from '../../src';
import { probeApp } from './probe/probe.app';

const run = promisify(execFile);
const root = join(__dirname, '../../../..');

describe('platform: health follows the database', () => {
  let app: TestApp & { bus: TestBus };
  let pg: TcpProxy;

  beforeAll(async () => {
    pg = await TcpProxy.start(TEST_DATABASE_URL);
    app = await startTestApp(probeApp, { env: { DATABASE_URL: pg.rewrite(TEST_DATABASE_URL) } });
    await eventually(async () => (await app.http('GET', '/health')).status === 200);
  });
  afterAll(async () => {
    await pg.up();
    await app.close();
    await pg.down();
  });

  it('turns 503 when the database is unreachable and recovers by itself', async () => {
    await pg.down();
    const down = await eventually(async () => {
      const res = await app.http('GET', '/health');
      return res.status === 503 ? res : undefined;
    });
    expect(down!.body.error.database.status).toBe('down');
    expect(down!.body.info.nats.status).toBe('up');
    await pg.up();
    await eventually(async () => (await app.http('GET', '/health')).status === 200, 15_000);
  });

  it('answers typed request/reply over NATS, validating the request', async () => {
    const ok = await app.http('GET', '/probe/whitelist?cardNo=known');
    expect(ok.body).toEqual({ ok: true, data: { found: true, flag: 1, version: 7 } });
    const bad = await app.http('GET', '/probe/whitelist?cardNo=' + 'x'.repeat(40));
    expect(bad.body).toMatchObject({ ok: false, kind: 'INVALID_INPUT', message: expect.stringMatching(/^cardNo/) });
  });
});

describe('platform: health follows NATS', () => {
  let app: TestApp & { bus: TestBus };
  let nats: TcpProxy;

  beforeAll(async () => {
    nats = await TcpProxy.start(TEST_NATS_URL);
    app = await startTestApp(probeApp, { env: { NATS_URL: nats.rewrite(TEST_NATS_URL).replace(/\/$/, '') } });
  });
  afterAll(async () => {
    await nats.up();
    await app.close();
    await nats.down();
  });

  it('turns 503 within a few seconds when NATS stops answering (was 10–15 s), and recovers by itself', async () => {
    nats.stall();
    const started = Date.now();
    const down = await eventually(async () => {
      const res = await app.http('GET', '/health');
      return res.status === 503 ? res : undefined;
    }, 10_000, 100);
    const ms = Date.now() - started;
    // Pinged every NATS_PING_INTERVAL_MS (1 s), stale after two unanswered: about 3 s.
    expect(ms).toBeLessThan(4500);
    expect(down!.body.error.nats).toEqual({ status: 'down', message: 'not connected' });
    expect(down!.body.info.database.status).toBe('up');
    await nats.up();
    await eventually(async () => (await app.http('GET', '/health')).status === 200, 15_000, 100);
  }, 30_000);
});

describe('platform: start-up', () => {
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'onecard-dist-'));
    await run('node', ['tools/build.mjs', '--out', dist], { cwd: root });
  }, 60_000);
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  async function start(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
    try {
      await run('node', [join(dist, 'apps/card-issuance/src/main.js')], { env: { PATH: process.env.PATH, NODE_PATH: join(root, 'node_modules'), ADMIN_TOKEN: 'startup-test-token-123', ...env }, timeout: 30_000 });
      return { code: 0, stderr: '' };
    } catch (error) {
      const e = error as { code: number; stderr: string };
      return { code: e.code, stderr: e.stderr };
    }
  }

  it('exits non-zero naming DATABASE_URL when it is malformed', async () => {
    const { code, stderr } = await start({ DATABASE_URL: 'mysql://nowhere' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stderr).msg).toBe('Invalid configuration: DATABASE_URL must be a postgres://user@host:port/database URL');
  });

  it('exits non-zero naming DATABASE_URL when the database is unreachable', async () => {
    const { code, stderr } = await start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/onecard' });
    expect(code).toBe(1);
    expect(JSON.parse(stderr.trim().split('\n').pop()!).msg).toMatch(/^DATABASE_URL: cannot use the database at 127\.0\.0\.1:1\/onecard/);
  }, 30_000);

  it('with WORKERS, a worker that cannot start stops the app, naming the problem', async () => {
    const { code, stderr } = await start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/onecard', WORKERS: '2' });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n').map((l) => JSON.parse(l).msg as string);
    expect(lines[0]).toMatch(/^DATABASE_URL: cannot use the database/);
    expect(lines[lines.length - 1]).toMatch(/^worker \d+ failed to start/);
  }, 30_000);

  it('runs WORKERS processes on one port, and SIGTERM stops them all', async () => {
    const schema = `card_issuance_w${Date.now().toString(36)}`;
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const bus = await TestBus.create();
    const env = { PATH: process.env.PATH, NODE_PATH: join(root, 'node_modules'), ADMIN_TOKEN: 'startup-test-token-123', DATABASE_URL: TEST_DATABASE_URL, DB_SCHEMA: schema, PORT: String(port), HOST: '127.0.0.1', WORKERS: '2', LOG_LEVEL: 'silent', ...bus.env };
    const primary = spawn('node', [join(dist, 'apps/card-issuance/src/main.js')], { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
    try {
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 0)) === 200, 30_000);
      const workers = (await run('pgrep', ['-P', String(primary.pid)])).stdout.trim().split('\n');
      expect(workers).toHaveLength(2);
      primary.kill('SIGTERM');
      expect(await exited).toBe(0);
      for (const pid of workers) expect(() => process.kill(Number(pid), 0)).toThrow();
    } finally {
      primary.kill('SIGKILL');
      await dropSchema(schema);
      await bus.close();
    }
  }, 60_000);

  it('exits non-zero naming ADMIN_TOKEN when it is missing', async () => {
    const { code, stderr } = await start({ ADMIN_TOKEN: '' });
    expect(code).toBe(1);
    expect(JSON.parse(stderr).msg).toMatch(/ADMIN_TOKEN/);
  });

  it('types request/reply by subject', () => {
    // Compile-time guarantees, checked by `npm run typecheck`: a wrong payload does not compile.
    const typed = async (client: RpcClient): Promise<GetWhitelistEntryReply> => {
      // @ts-expect-error cardNo must be a string
      await client.request(Rpc.GetWhitelistEntry, { cardNo: 42 });
      return client.request(Rpc.GetWhitelistEntry, { cardNo: 'x' });
    };
    expect(typed).toBeInstanceOf(Function);
  });
});
