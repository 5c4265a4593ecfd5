import { Events } from '@onecard/contracts';
import { startTestApp, TestApp, TestBus } from '@onecard/testing';
import { tuyaBridgeApp } from '../src/app.definition';
import { TuyaFake } from './support/tuya-fake';

const CLIENT_ID = 'e2eclientreplica2cfp';
const SECRET = 'rep5eed2b4a9e8d7c6b5a49382716f0a';
const PROJECT = 'P-replicas';

interface Run {
  id: number;
  trigger: 'schedule' | 'operator';
  outcome: string;
  error: string | null;
  started: Date;
  finished: Date;
}

/** Two replicas on one schema, each with its scheduler on, as behind a load balancer. */
describe('tuya-bridge: replicas never sync at once, and share one token', () => {
  let fake: TuyaFake;
  let a: TestApp & { bus: TestBus };
  let b: TestApp & { bus: TestBus };

  beforeAll(async () => {
    fake = await TuyaFake.start({ clientId: CLIENT_ID, secret: SECRET });
    await fake.seed(PROJECT, 30, 2);
    // Slow Tuya: each sync takes a while, so replicas asking at once would overlap without the lock.
    await fake.control('POST', '/faults', { kind: 'slow', delayMs: 150, count: 1000, path: '/v1.0/iot-02/building/personnel-cards/actions/hold-cards' });
    const env = { TUYA_ENDPOINT: fake.url, TUYA_CLIENT_ID: CLIENT_ID, TUYA_CLIENT_SECRET: SECRET, TUYA_PROJECT_IDS: PROJECT, TUYA_SYNC_INTERVAL_S: '2' };
    a = await startTestApp(tuyaBridgeApp, { env });
    b = await startTestApp(tuyaBridgeApp, { env: { ...env, DB_SCHEMA: a.schema }, bus: a.bus, keepSchema: true });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await fake?.stop();
  });

  it('runs operators\' and scheduled syncs one after another across replicas, announcing each card once', async () => {
    const answers = await Promise.all([a.admin('POST', '/admin/sync'), b.admin('POST', '/admin/sync'), a.admin('POST', '/admin/sync')]);
    for (const answer of answers) expect(answer.body).toMatchObject({ success: true, result: { outcome: 'succeeded', persons: 30, cards: 60 } });
    // Let the schedulers tick a few more times.
    await new Promise((r) => setTimeout(r, 5000));

    const runs: Run[] = await a.db.query(`SELECT id::int, trigger, outcome, error, started_at AS started, finished_at AS finished FROM sync_run ORDER BY id`);
    // (A scheduled one may be under way right now.)
    expect(runs.filter((r) => r.outcome === 'failed')).toEqual([]);
    expect(runs.slice(0, -1).every((r) => r.outcome === 'succeeded')).toBe(true);
    // Three requests, two or three runs: requests reaching a replica while its sync runs share its next run.
    expect(runs.filter((r) => r.trigger === 'operator').length).toBeGreaterThanOrEqual(2);
    // No two runs overlap: each starts after the one before it finished.
    for (let i = 1; i < runs.length; i++) expect(runs[i].started.getTime()).toBeGreaterThanOrEqual(runs[i - 1].finished.getTime());
    // Two replicas ticking every 2 s start one scheduled sync per interval between them, not one each.
    const scheduled = runs.filter((r) => r.trigger === 'schedule');
    expect(scheduled.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < scheduled.length; i++) expect(scheduled[i].started.getTime() - scheduled[i - 1].started.getTime()).toBeGreaterThanOrEqual(1800);

    const stored = await a.bus.stored(Events.TuyaCardChanged);
    expect(stored).toHaveLength(60);
    expect(new Set(stored.map((e) => e.personCardId)).size).toBe(60);
    // One token for both replicas (shared in Postgres, sealed).
    expect((await fake.control('GET', '/state')).tokensIssued).toBe(1);
    const [token] = await a.db.query(`SELECT access_token FROM tuya_token`);
    expect(token.access_token).toMatch(/^v2\./);
  });
});
