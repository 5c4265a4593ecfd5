import { EventMessage, Events } from '@onecard/contracts';
import { EventCollector, eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { Outbox } from '@onecard/messaging';
import { wageAttendanceApp } from '../src/app.definition';
import { WageAttendanceConfig } from '../src/config';
import { OfflineSweep } from '../src/devices/offline-sweep';
import { FakePlatform } from './support/fake-platform';
import { attendanceEnv, call, CALLBACK_SECRET, newDeviceKey, ok } from './support/platform-client';
import { TerminalClient } from './support/terminal-client';

type StatusEvent = EventMessage<typeof Events.TerminalStatusChanged>;
const WINDOW_S = 120;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The whole message an integrator receives for one change. */
function event(fields: Omit<StatusEvent, 'eventId' | 'occurredAt' | 'producer'>): StatusEvent {
  return { eventId: expect.stringMatching(UUID), occurredAt: expect.any(String), producer: 'wage-attendance', ...fields };
}

describe('wage-attendance: device.status-changed for integrators', () => {
  let platform: FakePlatform;
  let a: TestApp & { bus: TestBus };
  let b: TestApp & { bus: TestBus };
  let seen: EventCollector<typeof Events.TerminalStatusChanged>;

  const of = (deviceKey: string) => seen.events.filter((e) => e.deviceKey === deviceKey);
  /** Waits until each of `deviceKeys` has `n` events, then a little longer, so one too many shows. */
  const settledAll = async (deviceKeys: string[], n: number) => {
    await eventually(() => deviceKeys.every((k) => of(k).length >= n));
    await new Promise((r) => setTimeout(r, 300));
  };
  const settled = async (deviceKey: string, n: number) => {
    await settledAll([deviceKey], n);
    return of(deviceKey);
  };
  const row = async (deviceKey: string) =>
    (await a.db.query(`SELECT created_at, last_active_at, deleted_at, online FROM device WHERE device_key = $1`, [deviceKey]))[0] as {
      created_at: Date; last_active_at: Date; deleted_at: Date; online: boolean;
    };
  /** The terminal has been silent for an hour (as if its last call was then). */
  const silence = (deviceKey: string, since = new Date(Date.now() - 3_600_000)) =>
    a.db.query(`UPDATE device SET last_active_at = $2 WHERE device_key = $1`, [deviceKey, since]).then(() => since);
  const offlineAt = (since: Date) => new Date(since.getTime() + WINDOW_S * 1000).toISOString();

  beforeAll(async () => {
    platform = await new FakePlatform(CALLBACK_SECRET).start();
    // The sweeps' own timers are out of the way: each test sweeps when it means to.
    const env = attendanceEnv(platform.url, { TERMINAL_OFFLINE_AFTER_S: String(WINDOW_S), TERMINAL_OFFLINE_SWEEP_MS: '600000' });
    a = await startTestApp(wageAttendanceApp, { env });
    // A second replica on the same schema and bus.
    b = await startTestApp(wageAttendanceApp, { env: { ...env, DB_SCHEMA: a.schema }, bus: a.bus, keepSchema: true });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await platform?.stop();
  });
  beforeEach(() => {
    seen = a.bus.collect(Events.TerminalStatusChanged);
  });

  it('publishes each transition of a terminal’s life once, with the exact payload; a call while online publishes nothing', async () => {
    const deviceKey = newDeviceKey('EV');
    const terminal = await TerminalClient.create(a, deviceKey, '东门闸机');
    const created = await row(deviceKey);
    expect(await settled(deviceKey, 1)).toEqual([event({ deviceKey, change: 'created', state: 1, onlineState: 2, at: created.created_at.toISOString() })]);

    // Its first heartbeat binds it, online: one event.
    expect((await terminal.heartbeat('6.0011')).body.success).toBe(true);
    const bound = await row(deviceKey);
    expect((await settled(deviceKey, 2))[1]).toEqual(event({ deviceKey, change: 'bound', state: 2, onlineState: 1, versionNo: '6.0011', at: bound.last_active_at.toISOString() }));

    // Calls while online (on either replica) publish nothing; the version is still recorded.
    const onB = new TerminalClient(b, deviceKey, terminal.secret);
    expect((await onB.heartbeat('6.0012')).body.success).toBe(true);
    expect((await terminal.sync()).body.success).toBe(true);
    expect(await a.get(OfflineSweep).sweep()).toBe(0);
    expect(await settled(deviceKey, 2)).toHaveLength(2);

    // Silent past the window: the sweep marks it offline (as /device/query already says), once.
    const since = await silence(deviceKey);
    expect((await call(a, '/device/query', { deviceKey })).body.result).toMatchObject({ state: 2, onlineState: 2 });
    expect(await a.get(OfflineSweep).sweep()).toBe(1);
    expect(await b.get(OfflineSweep).sweep()).toBe(0);
    expect((await settled(deviceKey, 3))[2]).toEqual(event({ deviceKey, change: 'offline', state: 2, onlineState: 2, versionNo: '6.0012', at: offlineAt(since) }));
    expect((await row(deviceKey)).online).toBe(false);

    // Its next heartbeat brings it back; a second one says nothing more.
    expect((await terminal.heartbeat('6.0013')).body).toEqual(ok('success', { serverTime: expect.any(Number), latestCursor: '0' }));
    const back = await row(deviceKey);
    expect((await onB.heartbeat('6.0013')).body.success).toBe(true);
    expect((await settled(deviceKey, 4)).slice(3)).toEqual([event({ deviceKey, change: 'online', state: 2, onlineState: 1, versionNo: '6.0013', at: back.last_active_at.toISOString() })]);

    // Silent again, and back (a sync) before any sweep ran: the offline it missed, then online, in that order.
    const again = await silence(deviceKey);
    expect((await terminal.sync()).body.success).toBe(true);
    const synced = await row(deviceKey);
    expect((await settled(deviceKey, 6)).slice(4)).toEqual([
      event({ deviceKey, change: 'offline', state: 2, onlineState: 2, versionNo: '6.0013', at: offlineAt(again) }),
      event({ deviceKey, change: 'online', state: 2, onlineState: 1, versionNo: '6.0013', at: synced.last_active_at.toISOString() }),
    ]);
    expect(await a.get(OfflineSweep).sweep()).toBe(0);

    // Deleted (online): one event, offline with it; deleting again, or the refused terminal, publishes nothing.
    expect((await call(a, '/device/delete', { deviceKey })).body.success).toBe(true);
    const deleted = await row(deviceKey);
    expect((await call(b, '/device/delete', { deviceKey })).body.success).toBe(true);
    expect((await terminal.heartbeat()).body.success).toBe(false);
    expect((await settled(deviceKey, 7)).slice(6)).toEqual([event({ deviceKey, change: 'deleted', state: 3, onlineState: 2, versionNo: '6.0013', at: deleted.deleted_at.toISOString() })]);

    // Created again: afresh, unbound, no version.
    await TerminalClient.create(a, deviceKey);
    const recreated = await row(deviceKey);
    expect((await settled(deviceKey, 8)).slice(7)).toEqual([event({ deviceKey, change: 'created', state: 1, onlineState: 2, at: recreated.created_at.toISOString() })]);
    // What the stream holds for it is what was seen: no secret anywhere.
    const stored = (await a.bus.stored(Events.TerminalStatusChanged)).filter((e) => e.deviceKey === deviceKey);
    expect(stored).toEqual(of(deviceKey));
    expect(JSON.stringify(stored)).not.toContain(terminal.secret);
  });

  it('publishes a terminal’s offline once, however many replicas sweep at once', async () => {
    const terminals = await Promise.all(Array.from({ length: 30 }, () => TerminalClient.create(a, newDeviceKey('SW'))));
    for (const t of terminals) expect((await t.heartbeat()).body.success).toBe(true);
    const since = new Date(Date.now() - 3_600_000);
    for (const t of terminals) await silence(t.deviceKey, since);

    // Each replica's sweep, and four more sweepers as further replicas would run them, all at once.
    const sweepers = [a.get(OfflineSweep), b.get(OfflineSweep), ...[a, b, a, b].map((app) => new OfflineSweep(app.db, app.get(Outbox), app.config as WageAttendanceConfig))];
    const counts = await Promise.all(sweepers.map((s) => s.sweep()));
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(30);
    expect(await Promise.all([a.get(OfflineSweep).sweep(), b.get(OfflineSweep).sweep()])).toEqual([0, 0]);
    await settledAll(terminals.map((t) => t.deviceKey), 3);
    for (const t of terminals) {
      expect(of(t.deviceKey).slice(2)).toEqual([
        event({ deviceKey: t.deviceKey, change: 'offline', state: 2, onlineState: 2, versionNo: '6.0011', at: offlineAt(since) }),
      ]);
    }
  });

  it('publishes offline then online once each when sweeps and a terminal’s calls on both replicas race', async () => {
    const terminals = await Promise.all(Array.from({ length: 20 }, () => TerminalClient.create(a, newDeviceKey('RC'))));
    for (const t of terminals) expect((await t.heartbeat()).body.success).toBe(true);
    const since = new Date(Date.now() - 3_600_000);
    for (const t of terminals) await silence(t.deviceKey, since);

    // Each terminal calls three times at once, on both replicas, while both sweep.
    const before = new Date();
    await Promise.all([
      a.get(OfflineSweep).sweep(),
      ...terminals.flatMap((t) => {
        const onB = new TerminalClient(b, t.deviceKey, t.secret);
        return [t.heartbeat('7.0'), onB.heartbeat('7.0'), onB.heartbeat('7.0')];
      }),
      b.get(OfflineSweep).sweep(),
    ]);
    await settledAll(terminals.map((t) => t.deviceKey), 4);
    for (const t of terminals) {
      const heard = await row(t.deviceKey);
      // The offline is the one of the version it was silent on, whichever of the sweep and the call saw it;
      // the online is the first of the calls to lock the row (its time, then, is one of theirs).
      const [offline, online] = of(t.deviceKey).slice(2);
      expect(of(t.deviceKey).slice(2)).toEqual([
        event({ deviceKey: t.deviceKey, change: 'offline', state: 2, onlineState: 2, versionNo: '6.0011', at: offlineAt(since) }),
        event({ deviceKey: t.deviceKey, change: 'online', state: 2, onlineState: 1, versionNo: '7.0', at: expect.any(String) }),
      ]);
      expect(new Date(online.at).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(new Date(online.at).getTime()).toBeLessThanOrEqual(heard.last_active_at.getTime());
      expect(offline.at < online.at).toBe(true);
      expect(heard.online).toBe(true);
    }
  });
});
