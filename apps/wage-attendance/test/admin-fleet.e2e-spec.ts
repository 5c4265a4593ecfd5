import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { wageAttendanceApp } from '../src/app.definition';
import { FakePlatform } from './support/fake-platform';
import { attendanceEnv, call, CALLBACK_SECRET, ok, refused } from './support/platform-client';
import { TerminalClient } from './support/terminal-client';

const WIRE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** What an operator console reads of the terminals and the callback queue: GET /admin/devices, /admin/callbacks, /admin/backlog. */
describe('wage-attendance: terminals and callbacks for operators', () => {
  let platform: FakePlatform;
  let app: TestApp & { bus: TestBus };
  const admin = async (path: string) => (await app.admin('GET', path)).body;
  const terminal = (deviceKey: string, name: string, fields: Record<string, unknown>) => ({
    deviceKey, tag: '', name, state: 1, onlineState: 2, versionNo: null, lastActiveTime: null, createTime: expect.stringMatching(WIRE_TIME), ...fields,
  });
  const heard = { state: 2, onlineState: 1, versionNo: '6.0011', lastActiveTime: expect.stringMatching(WIRE_TIME) };

  beforeAll(async () => {
    platform = await new FakePlatform(CALLBACK_SECRET).start();
    platform.mode = 'erroring';
    app = await startTestApp(wageAttendanceApp, { env: attendanceEnv(platform.url, { CALLBACK_MAX_ATTEMPTS: '2' }) });
    const gate = await TerminalClient.create(app, 'FLEET-A', '东门闸机');
    await TerminalClient.create(app, 'FLEET-B', '西门闸机');
    const gone = await TerminalClient.create(app, 'FLEET-C', '北门闸机');
    expect((await gate.heartbeat()).body.success).toBe(true);
    expect((await gone.heartbeat()).body.success).toBe(true);
    // Deleting queues a deleteDevice callback, which the erroring platform makes a dead letter after 2 attempts.
    expect((await call(app, '/device/delete', { deviceKey: 'FLEET-C' })).body.success).toBe(true);
  });
  afterAll(async () => {
    await app?.close();
    await platform?.stop();
  });

  it('lists the terminals in deviceKey order as 查询设备信息 shows each, with how many there are', async () => {
    expect(await admin('/admin/devices')).toEqual(ok('success', {
      total: 3,
      limit: 100,
      offset: 0,
      items: [
        terminal('FLEET-A', '东门闸机', heard),
        terminal('FLEET-B', '西门闸机', {}),
        terminal('FLEET-C', '北门闸机', { ...heard, state: 3, onlineState: 2 }),
      ],
    }));
  });

  it('filters by onlineState and state, and pages with the total of all that match', async () => {
    expect(await admin('/admin/devices?onlineState=1')).toEqual(ok('success', { total: 1, limit: 100, offset: 0, items: [terminal('FLEET-A', '东门闸机', heard)] }));
    expect((await admin('/admin/devices?onlineState=2')).result.items.map((d: { deviceKey: string }) => d.deviceKey)).toEqual(['FLEET-B', 'FLEET-C']);
    expect((await admin('/admin/devices?state=1')).result).toEqual({ total: 1, limit: 100, offset: 0, items: [terminal('FLEET-B', '西门闸机', {})] });
    expect((await admin('/admin/devices?limit=1&offset=1')).result).toEqual({ total: 3, limit: 1, offset: 1, items: [terminal('FLEET-B', '西门闸机', {})] });
    expect((await admin('/admin/devices?onlineState=2&limit=5&offset=9')).result).toEqual({ total: 2, limit: 5, offset: 9, items: [] });
    expect(await admin('/admin/devices?onlineState=3')).toEqual(refused('onlineState must be at most 2'));
    expect(await admin('/admin/devices?state=x')).toEqual(refused('state must be an integer'));
    expect(await admin('/admin/devices?limit=1001')).toEqual(refused('limit must be at most 1000'));
    expect(await admin('/admin/devices?limit=0')).toEqual(refused('limit must be 1 or more'));
    expect((await app.http('GET', '/admin/devices')).status).toBe(401);
  });

  it('pages the callbacks newest first by key, and shows the queue and its dead letters on /admin/backlog', async () => {
    await eventually(async () => (await admin('/admin/callbacks?status=dead')).result.items.length === 1, 15_000);
    const dead = await admin('/admin/callbacks?status=dead&limit=1');
    expect(dead.result).toEqual({
      limit: 1,
      next: null,
      items: [{
        id: expect.any(String), deviceKey: 'FLEET-C', kind: 'deleteDevice', path: '/autosos/callback/otherDevices/deleteDevice', status: 'dead', attempts: 2,
        lastError: 'HTTP 500', createdAt: expect.stringMatching(ISO), lastAttemptAt: expect.stringMatching(ISO), deliveredAt: null,
        form: { sn: 'FLEET-C', operationTime: expect.stringMatching(WIRE_TIME) },
      }],
    });
    expect((await admin(`/admin/callbacks?status=dead&cursor=${dead.result.items[0].id}`)).result).toEqual({ items: [], limit: 100, next: null });
    expect((await admin('/admin/callbacks?deviceKey=FLEET-A')).result).toEqual({ items: [], limit: 100, next: null });
    expect(await admin('/admin/callbacks?beforeId=5')).toEqual(refused('beforeId: unknown field'));
    expect(await admin('/admin/callbacks?cursor=0')).toEqual(refused('cursor must be the next of an earlier page'));
    expect(await admin('/admin/callbacks?limit=1001')).toEqual(refused('limit must be at most 1000'));

    const backlog = await admin('/admin/backlog');
    expect(backlog.result.items.slice(3)).toEqual([
      { name: 'callbacks', scope: 'app', pending: 0, oldestAt: null, oldestAgeSeconds: null, error: null, detail: { devices: 0 } },
      { name: 'callback_dead_letters', scope: 'app', pending: 1, oldestAt: dead.result.items[0].lastAttemptAt, oldestAgeSeconds: expect.any(Number), error: null, detail: null },
      { name: 'identify_records', scope: 'replica', pending: 0, oldestAt: null, oldestAgeSeconds: null, error: null, detail: null },
    ]);
    expect(backlog.result.app).toBe('wage-attendance');

    // Replayed while the platform is slow to answer, it waits: a pending callback for one device.
    platform.mode = 'up';
    platform.delayMs = 1500;
    expect((await app.admin('POST', `/admin/callbacks/${dead.result.items[0].id}/replay`)).body.result).toEqual({ replayed: 1 });
    const waiting = (await admin('/admin/backlog')).result.items.find((i: { name: string }) => i.name === 'callbacks');
    expect(waiting).toEqual({ name: 'callbacks', scope: 'app', pending: 1, oldestAt: dead.result.items[0].createdAt, oldestAgeSeconds: expect.any(Number), error: null, detail: { devices: 1 } });
    platform.delayMs = 0;
    await eventually(async () => (await admin('/admin/callbacks?status=delivered')).result.items.length === 1, 15_000);
    expect((await admin('/admin/backlog')).result.items.slice(3).map((i: { pending: number }) => i.pending)).toEqual([0, 0, 0]);
  });
});
