import { startTestApp, TestApp, TestBus } from '@onecard/testing';
import { tuyaBridgeApp } from '../src/app.definition';
import { TuyaFake } from './support/tuya-fake';

const LIST = '/v1.0/iot-02/building/personnel-cards';

describe('tuya-bridge without Tuya credentials', () => {
  let app: TestApp & { bus: TestBus };

  beforeAll(async () => {
    app = await startTestApp(tuyaBridgeApp);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('starts, says "not configured" on /health without counting it as down, and syncs nothing', async () => {
    const health = await app.http('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.details.tuya_sync).toEqual({
      status: 'up', sync: 'not configured', message: 'TUYA_CLIENT_ID, TUYA_CLIENT_SECRET and TUYA_PROJECT_IDS are unset: nothing is synced',
    });
    expect(await app.http('GET', '/health/ready')).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect((await app.admin('POST', '/admin/sync')).body).toEqual({
      success: false, t: expect.any(Number), tid: expect.any(String), code: 500,
      msg: 'Tuya is not configured: set TUYA_CLIENT_ID, TUYA_CLIENT_SECRET and TUYA_PROJECT_IDS',
    });
    expect((await app.admin('GET', `${LIST}?projectId=P1`)).body).toMatchObject({ success: false, code: 1106 });
    expect(await app.db.query(`SELECT * FROM sync_run`)).toEqual([]);
  });
});

describe('tuya-bridge with credentials Tuya refuses', () => {
  const clientId = 'e2eclientrefused0cfp';
  let fake: TuyaFake;
  let app: TestApp & { bus: TestBus };

  beforeAll(async () => {
    fake = await TuyaFake.start({ clientId, secret: 'the5real5secret5b4a9e8d7c6b5a4938' });
    await fake.seed('P1', 3, 1);
    app = await startTestApp(tuyaBridgeApp, {
      env: { TUYA_ENDPOINT: fake.url, TUYA_CLIENT_ID: clientId, TUYA_CLIENT_SECRET: 'a5wrong5secret5b4a9e8d7c6b5a4938', TUYA_PROJECT_IDS: 'P1', TUYA_SYNC_INTERVAL_S: '0' },
    });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });

  it('fails the sync with Tuya\'s reason, stores nothing, and /health says there is no good copy', async () => {
    const res = await app.admin('POST', '/admin/sync');
    expect(res.body).toMatchObject({ success: false, code: 500, msg: 'sync 1 failed after 1 call to Tuya; the last good copy stays: GET token: Tuya refused: 1004 sign invalid' });
    expect(await fake.requests()).toEqual([expect.objectContaining({ path: '/v1.0/token', outcome: 'refused 1004 sign invalid' })]);
    const health = await app.http('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body.details.tuya_sync).toEqual({
      status: 'down', sync: 'stale', lastGoodSync: null,
      latestFailure: { syncId: 1, finishedAt: expect.any(String), reason: 'GET token: Tuya refused: 1004 sign invalid' },
    });
    expect(await app.db.query(`SELECT count(*)::int AS n FROM person`)).toEqual([{ n: 0 }]);
  });
});
