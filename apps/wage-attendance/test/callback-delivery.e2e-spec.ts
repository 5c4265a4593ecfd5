import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { wageAttendanceApp } from '../src/app.definition';
import { CallbackQueue } from '../src/callbacks/callback-queue';
import { FakePlatform, ReceivedCallback } from './support/fake-platform';
import { attendanceEnv, CALLBACK_SECRET, newDeviceKey } from './support/platform-client';

/** Queues `n` deletePerson callbacks per device, interleaved, one transaction each; returns what each device must receive, in order. */
async function queue(app: TestApp, devices: string[], n: number, label: string): Promise<Map<string, string[]>> {
  const queue = app.get(CallbackQueue);
  const expected = new Map(devices.map((d) => [d, [] as string[]]));
  for (let i = 0; i < n; i++) {
    for (const deviceKey of devices) {
      const personGuid = `${label}${String(i).padStart(4, '0')}`;
      await app.db.transaction((m) => queue.add(m, [{ deviceKey, kind: 'deletePerson', form: { deviceKey, confirmTime: '2024-06-01 08:00:00', personGuid } }]));
      expected.get(deviceKey)!.push(personGuid);
    }
  }
  return expected;
}

/** Each device's callbacks as received: exactly the expected ones, once each, in order, each signed. */
function expectExactlyOnceInOrder(received: ReceivedCallback[], expected: Map<string, string[]>): void {
  for (const [deviceKey, guids] of expected) {
    const got = received.filter((c) => c.form.deviceKey === deviceKey);
    expect(got.map((c) => c.form.personGuid)).toEqual(guids);
    expect(got.every((c) => c.signatureValid && c.path === '/api/autosos/callback/otherDevices/deletePerson')).toBe(true);
  }
  const ids = received.map((c) => c.callbackId);
  expect(new Set(ids).size).toBe(ids.length);
}

describe('wage-attendance: callbacks reach the supervision platform once each, in order per device', () => {
  let platform: FakePlatform;
  let a: TestApp & { bus: TestBus };
  let b: TestApp & { bus: TestBus };

  beforeAll(async () => {
    platform = await new FakePlatform(CALLBACK_SECRET).start();
    const env = attendanceEnv(platform.url, { CALLBACK_MAX_ATTEMPTS: '1000', CALLBACK_BATCH: '7' });
    a = await startTestApp(wageAttendanceApp, { env });
    // A second replica on the same schema: both deliver, neither twice.
    b = await startTestApp(wageAttendanceApp, { env: { ...env, DB_SCHEMA: a.schema }, bus: a.bus, keepSchema: true });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await platform?.stop();
  });

  it('delivers everything queued on two replicas exactly once, in order per device', async () => {
    const devices = Array.from({ length: 6 }, () => newDeviceKey('R'));
    // A slow platform keeps rounds open while the other replica claims: any lock or snapshot gap shows as a repeat.
    platform.delayMs = 3;
    const [fromA, fromB] = await Promise.all([queue(a, devices.slice(0, 4), 25, 'A'), queue(b, devices.slice(2), 25, 'B')]);
    await eventually(() => platform.received.filter((c) => devices.includes(c.form.deviceKey)).length >= 200, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    platform.delayMs = 0;
    const received = platform.received.filter((c) => devices.includes(c.form.deviceKey));
    // Each replica's callbacks for a device in the order it queued them (the two queued at once, so only each one's order is defined).
    for (const [label, expected] of [['A', fromA], ['B', fromB]] as const) {
      for (const [d, guids] of expected) {
        expect(received.filter((c) => c.form.deviceKey === d && c.form.personGuid.startsWith(label)).map((c) => c.form.personGuid)).toEqual(guids);
      }
    }
    expect(received).toHaveLength(200);
    expect(new Set(received.map((c) => c.callbackId)).size).toBe(200);
    expect(received.every((c) => c.signatureValid)).toBe(true);
  });

  it('keeps them while the platform is down, retries with backoff, and delivers each once in order when it is back', async () => {
    const devices = [newDeviceKey('D'), newDeviceKey('D'), newDeviceKey('D'), newDeviceKey('D')];
    await platform.goDown();
    const expected = await queue(a, devices, 10, 'X');
    await new Promise((r) => setTimeout(r, 1500));
    const [{ n: failedAttempts }] = await a.db.query(`SELECT count(*)::int AS n FROM callback WHERE device_key = ANY($1) AND attempts > 0 AND status = 'pending'`, [devices]);
    expect(failedAttempts).toBeGreaterThan(0);
    const [{ n: delivered }] = await a.db.query(`SELECT count(*)::int AS n FROM callback WHERE device_key = ANY($1) AND status = 'delivered'`, [devices]);
    expect(delivered).toBe(0);
    // /health names it (degraded only after a minute of failures).
    expect((await a.http('GET', '/health')).body.details.callbacks).toMatchObject({ status: 'up', failingSince: expect.any(String), lastFailure: 'network error' });
    await platform.comeBack();
    await eventually(() => platform.received.filter((c) => devices.includes(c.form.deviceKey)).length >= 40, 15_000);
    await new Promise((r) => setTimeout(r, 300));
    expectExactlyOnceInOrder(platform.received.filter((c) => devices.includes(c.form.deviceKey)), expected);
  });

  it('retries a callback the platform refuses in its envelope or with HTTP 500 until it takes it', async () => {
    const devices = [newDeviceKey('F')];
    platform.mode = 'refusing';
    const expected = await queue(a, devices, 5, 'Y');
    await eventually(() => platform.attempts > 0 && a.db.query(`SELECT 1 FROM callback WHERE device_key = $1 AND last_error LIKE 'answered success false%'`, [devices[0]]).then((r) => r.length > 0));
    platform.mode = 'erroring';
    await eventually(() => a.db.query(`SELECT 1 FROM callback WHERE device_key = $1 AND last_error = 'HTTP 500'`, [devices[0]]).then((r) => r.length > 0));
    platform.mode = 'up';
    await eventually(() => platform.received.filter((c) => c.form.deviceKey === devices[0]).length >= 5, 15_000);
    expectExactlyOnceInOrder(platform.received.filter((c) => devices.includes(c.form.deviceKey)), expected);
  });
});

describe('wage-attendance: dead letters', () => {
  let platform: FakePlatform;
  let app: TestApp & { bus: TestBus };

  beforeAll(async () => {
    platform = await new FakePlatform(CALLBACK_SECRET).start();
    app = await startTestApp(wageAttendanceApp, { env: attendanceEnv(platform.url, { CALLBACK_MAX_ATTEMPTS: '2' }) });
  });
  afterAll(async () => {
    await app?.close();
    await platform?.stop();
  });

  it('after CALLBACK_MAX_ATTEMPTS failures a callback is dead, listed for operators, and goes again on replay, in its order', async () => {
    const deviceKey = newDeviceKey('Z');
    platform.mode = 'erroring';
    const expected = await queue(app, [deviceKey], 3, 'Z');
    await eventually(() => app.db.query(`SELECT count(*)::int AS n FROM callback WHERE device_key = $1 AND status = 'dead'`, [deviceKey]).then(([r]) => r.n === 3), 15_000);
    const dead = await app.admin('GET', `/admin/callbacks?status=dead&deviceKey=${deviceKey}`);
    expect(dead.body.result).toEqual({ items: [expect.any(Object), expect.any(Object), expect.any(Object)], limit: 100, next: null });
    // Newest first, two a page: the second page starts after the first's last.
    const ids = dead.body.result.items.map((c: { id: string }) => c.id);
    const firstPage = await app.admin('GET', `/admin/callbacks?status=dead&deviceKey=${deviceKey}&limit=2`);
    expect(firstPage.body.result).toEqual({ items: dead.body.result.items.slice(0, 2), limit: 2, next: ids[1] });
    const secondPage = await app.admin('GET', `/admin/callbacks?status=dead&deviceKey=${deviceKey}&limit=2&cursor=${firstPage.body.result.next}`);
    expect(secondPage.body.result).toEqual({ items: dead.body.result.items.slice(2), limit: 2, next: null });
    expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((a, b) => b - a));
    expect(dead.body.result.items[0]).toMatchObject({
      deviceKey, kind: 'deletePerson', path: '/autosos/callback/otherDevices/deletePerson', status: 'dead', attempts: 2, lastError: 'HTTP 500',
      form: { deviceKey, personGuid: 'Z0002' },
    });
    expect((await app.http('GET', '/admin/callbacks?status=dead')).status).toBe(401);
    expect((await app.admin('GET', '/admin/callbacks?status=gone')).body).toMatchObject({ success: false, message: 'status must be pending, delivered or dead' });
    platform.mode = 'up';
    const first = dead.body.result.items[2].id;
    expect((await app.admin('POST', `/admin/callbacks/${first}/replay`)).body.result).toEqual({ replayed: 1 });
    expect((await app.admin('POST', `/admin/callbacks/${first}/replay`)).body).toMatchObject({ success: false, message: expect.stringMatching(/not dead/) });
    await eventually(() => platform.received.filter((c) => c.form.deviceKey === deviceKey).length === 1);
    expect((await app.admin('POST', '/admin/callbacks/replay', { deviceKey })).body.result).toEqual({ replayed: 2 });
    await eventually(() => platform.received.filter((c) => c.form.deviceKey === deviceKey).length === 3);
    expectExactlyOnceInOrder(platform.received, expected);
    expect((await app.admin('GET', `/admin/callbacks?status=dead&deviceKey=${deviceKey}`)).body.result).toEqual({ items: [], limit: 100, next: null });
  });
});
