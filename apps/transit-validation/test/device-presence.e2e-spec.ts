import { EventMessage, Events } from '@onecard/contracts';
import { Outbox } from '@onecard/messaging';
import { EventCollector, eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { ValidatorOfflineSweep } from '../src/presence/validator-offline-sweep';
import { ValidatorClient } from './validator-client';

type StatusEvent = EventMessage<typeof Events.DeviceStatusChanged>;
type App = TestApp<TransitValidationConfig> & { bus: TestBus };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// The heartbeat's position as ValidatorClient sends it, read as numbers.
const AT = { lng: 114.057868, lat: 22.543099 };
/** Window in this file: max(2 × 5 s, 20 s) unless a device is told a longer interval. */
const ENV = { TRANSIT_OFFLINE_AFTER_HEARTBEATS: '2', TRANSIT_OFFLINE_MIN_S: '20', TRANSIT_HEARTBEAT_FLUSH_MS: '20', TRANSIT_OFFLINE_SWEEP_MS: '600000' };
const WINDOW_S = 20;

/** The whole message an operator console receives for one change. */
function event(fields: Omit<StatusEvent, 'eventId' | 'occurredAt' | 'producer'>): StatusEvent {
  return { eventId: expect.stringMatching(UUID), occurredAt: expect.any(String), producer: 'transit-validation', ...fields };
}

describe('transit-validation: validators online and offline as device.status-changed', () => {
  let a: App;
  let b: App;
  let seen: EventCollector<typeof Events.DeviceStatusChanged>;

  const of = (deviceId: string) => seen.events.filter((e) => e.deviceId === deviceId);
  /** Waits until each device has `n` events, then a little longer, so one too many shows. */
  const settledAll = async (deviceIds: string[], n: number) => {
    await eventually(() => deviceIds.every((id) => of(id).length >= n));
    await new Promise((r) => setTimeout(r, 300));
  };
  const settled = async (deviceId: string, n: number) => {
    await settledAll([deviceId], n);
    return of(deviceId);
  };
  const status = async (deviceId: string) =>
    (await a.db.query(`SELECT last_seen_at, online FROM device_status WHERE device_id = $1`, [deviceId]))[0] as { last_seen_at: Date; online: boolean };
  /** Written, with its online transition if any: the heartbeat writer answers before it writes. */
  const heard = (deviceId: string, since: Date) => eventually(async () => ((await status(deviceId))?.last_seen_at >= since ? true : undefined));
  const heartbeat = async (client: ValidatorClient) => {
    const sent = new Date(Date.now() - 5);
    expect((await client.heartbeat()).body.ret_code).toBe(0);
    await heard(client.deviceId, sent);
  };
  /** What /admin/devices/{id} shows: the state the events must agree with. */
  const shownOnline = async (deviceId: string) => (await a.admin('GET', `/admin/devices/${deviceId}`)).body.online;
  /** The validator has been silent since `since` (as if its last heartbeat was then). */
  const silence = (deviceId: string, since = new Date(Date.now() - 3_600_000)) =>
    a.db.query(`UPDATE device_status SET last_seen_at = $2 WHERE device_id = $1`, [deviceId, since]).then(() => since);
  const offlineAt = (since: Date, windowS = WINDOW_S) => new Date(since.getTime() + windowS * 1000).toISOString();
  const validator = async (deviceId: string, lineId = 'L1', on: App = a) => (await new ValidatorClient(on, deviceId, lineId).register()).login();
  const onB = (client: ValidatorClient) => Object.assign(new ValidatorClient(b, client.deviceId, client.lineId), { token: client.token });

  beforeAll(async () => {
    // The sweeps' own timers are out of the way: each test sweeps when it means to.
    a = await startTestApp(transitValidationApp, { env: ENV });
    b = await startTestApp(transitValidationApp, { env: { ...ENV, DB_SCHEMA: a.schema }, bus: a.bus, keepSchema: true });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });
  beforeEach(async () => {
    // Validators of earlier tests out of the sweeps' way (as offline): each test counts what its sweeps mark.
    await a.db.query(`UPDATE device_status SET online = false`);
    seen = a.bus.collect(Events.DeviceStatusChanged);
  });
  afterEach(() => seen.stop());

  it('refuses to start with a bad presence setting, naming it', async () => {
    for (const [variable, value, rule] of [
      ['TRANSIT_OFFLINE_SWEEP_MS', '10', 'an integer from 50 to 600000'],
      ['TRANSIT_OFFLINE_AFTER_HEARTBEATS', '0', 'an integer from 1 to 100'],
      ['TRANSIT_OFFLINE_MIN_S', '1.5', 'an integer from 1 to 86400'],
    ]) {
      await expect(startTestApp(transitValidationApp, { env: { [variable]: value } })).rejects.toThrow(`Invalid configuration: ${variable} must be ${rule}`);
    }
  });

  it('publishes online with the first heartbeat, offline once after the window, online when it is back; as /admin/devices shows it', async () => {
    const bus = await validator('BUS-P1');
    expect(await shownOnline('BUS-P1')).toBe(false);
    await heartbeat(bus);
    const first = await status('BUS-P1');
    expect(await settled('BUS-P1', 1)).toEqual([event({ deviceId: 'BUS-P1', enterpriseId: '398', lineId: 'L1', status: 'online', at: first.last_seen_at.toISOString(), ...AT })]);
    expect(await shownOnline('BUS-P1')).toBe(true);

    // More heartbeats (on either replica) while online publish nothing; nor does a sweep.
    await heartbeat(onB(bus));
    await heartbeat(bus);
    expect(await a.get(ValidatorOfflineSweep).sweep()).toBe(0);
    expect(await settled('BUS-P1', 1)).toHaveLength(1);

    // Silent for less than the window: still online, nothing swept.
    await silence('BUS-P1', new Date(Date.now() - (WINDOW_S - 5) * 1000));
    expect(await shownOnline('BUS-P1')).toBe(true);
    expect(await a.get(ValidatorOfflineSweep).sweep()).toBe(0);

    // Past it: /admin/devices says offline, and the sweep publishes it once, with where it was last.
    const since = await silence('BUS-P1');
    expect(await shownOnline('BUS-P1')).toBe(false);
    expect(await a.get(ValidatorOfflineSweep).sweep()).toBe(1);
    expect(await b.get(ValidatorOfflineSweep).sweep()).toBe(0);
    expect((await settled('BUS-P1', 2))[1]).toEqual(event({ deviceId: 'BUS-P1', enterpriseId: '398', lineId: 'L1', status: 'offline', at: offlineAt(since), ...AT }));
    expect((await status('BUS-P1')).online).toBe(false);

    // Its next heartbeat brings it back, once.
    await heartbeat(onB(bus));
    const back = await status('BUS-P1');
    await heartbeat(bus);
    expect((await settled('BUS-P1', 3)).slice(2)).toEqual([event({ deviceId: 'BUS-P1', enterpriseId: '398', lineId: 'L1', status: 'online', at: back.last_seen_at.toISOString(), ...AT })]);
    expect(await shownOnline('BUS-P1')).toBe(true);

    // Silent past the window again and back before any sweep ran: the offline it missed, then online, in that order.
    const again = await silence('BUS-P1');
    await heartbeat(bus);
    const returned = await status('BUS-P1');
    expect((await settled('BUS-P1', 5)).slice(3)).toEqual([
      event({ deviceId: 'BUS-P1', enterpriseId: '398', lineId: 'L1', status: 'offline', at: offlineAt(again) }),
      event({ deviceId: 'BUS-P1', enterpriseId: '398', lineId: 'L1', status: 'online', at: returned.last_seen_at.toISOString(), ...AT }),
    ]);
    expect(await a.get(ValidatorOfflineSweep).sweep()).toBe(0);
    expect(await settled('BUS-P1', 5)).toHaveLength(5);
    // What the stream holds for it is what was seen.
    expect((await a.bus.stored(Events.DeviceStatusChanged)).filter((e) => e.deviceId === 'BUS-P1')).toEqual(of('BUS-P1'));
  });

  it('judges silence by the interval the validator is told, as /admin/devices does; a heartbeat without a position says none', async () => {
    const bus = await validator('BUS-P2', 'L2');
    // Told 30 s: offline after 2 × 30 s, not after 20 s.
    expect((await a.admin('PUT', '/admin/devices/BUS-P2/config', { heartbeat_interval: 30 })).body.ret_code).toBe(0);
    expect((await bus.heartbeat({ lng: '', lat: 'n/a' })).body.ret_code).toBe(0);
    await eventually(async () => (await status('BUS-P2'))?.online);
    expect(await settled('BUS-P2', 1)).toEqual([event({ deviceId: 'BUS-P2', enterpriseId: '398', lineId: 'L2', status: 'online', at: (await status('BUS-P2')).last_seen_at.toISOString() })]);

    await silence('BUS-P2', new Date(Date.now() - 50_000));
    expect(await shownOnline('BUS-P2')).toBe(true);
    expect(await a.get(ValidatorOfflineSweep).sweep()).toBe(0);
    // A heartbeat 50 s after the last is within its 60 s: nothing, though it is past the shortest window.
    await heartbeat(bus);
    expect(await settled('BUS-P2', 1)).toHaveLength(1);

    const since = await silence('BUS-P2', new Date(Date.now() - 61_000));
    expect(await shownOnline('BUS-P2')).toBe(false);
    expect(await a.get(ValidatorOfflineSweep).sweep()).toBe(1);
    expect((await settled('BUS-P2', 2))[1]).toEqual(event({ deviceId: 'BUS-P2', enterpriseId: '398', lineId: 'L2', status: 'offline', at: offlineAt(since, 60), ...AT }));
  });

  it('keeps disabled and enabled on the same subject, with when', async () => {
    await validator('BUS-P3');
    expect((await a.admin('POST', '/admin/devices/BUS-P3/disable')).body.disabled).toBe(true);
    const [{ disabled_at: disabledAt }] = await a.db.query(`SELECT disabled_at FROM device WHERE device_id = 'BUS-P3'`);
    expect(await settled('BUS-P3', 1)).toEqual([event({ deviceId: 'BUS-P3', enterpriseId: '398', lineId: 'L1', status: 'disabled', at: disabledAt.toISOString() })]);
    expect((await a.admin('POST', '/admin/devices/BUS-P3/enable')).body.disabled).toBe(false);
    expect((await settled('BUS-P3', 2))[1]).toEqual(event({ deviceId: 'BUS-P3', enterpriseId: '398', lineId: 'L1', status: 'enabled', at: expect.any(String) }));
  });

  it('publishes each validator’s offline once, however many replicas sweep at once', async () => {
    const fleet = await Promise.all(Array.from({ length: 30 }, (_, i) => validator(`BUS-S${i}`)));
    for (const bus of fleet) await heartbeat(bus);
    await settledAll(fleet.map((v) => v.deviceId), 1);
    const since = new Date(Date.now() - 3_600_000);
    await a.db.query(`UPDATE device_status SET last_seen_at = $1 WHERE device_id LIKE 'BUS-S%'`, [since]);

    // Each replica's sweep, and four more sweepers as further replicas would run them, all at once.
    const sweepers = [a.get(ValidatorOfflineSweep), b.get(ValidatorOfflineSweep), ...[a, b, a, b].map((app) => new ValidatorOfflineSweep(app.db, app.get(Outbox), app.config))];
    const counts = await Promise.all(sweepers.map((s) => s.sweep()));
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(30);
    expect(await Promise.all([a.get(ValidatorOfflineSweep).sweep(), b.get(ValidatorOfflineSweep).sweep()])).toEqual([0, 0]);
    await settledAll(fleet.map((v) => v.deviceId), 2);
    for (const bus of fleet) {
      expect(of(bus.deviceId).slice(1)).toEqual([event({ deviceId: bus.deviceId, enterpriseId: '398', lineId: 'L1', status: 'offline', at: offlineAt(since), ...AT })]);
    }
  });

  it('publishes offline then online once each when sweeps race heartbeats on both replicas', async () => {
    const fleet = await Promise.all(Array.from({ length: 20 }, (_, i) => validator(`BUS-C${i}`)));
    for (const bus of fleet) await heartbeat(bus);
    await settledAll(fleet.map((v) => v.deviceId), 1);
    const since = new Date(Date.now() - 3_600_000);
    await a.db.query(`UPDATE device_status SET last_seen_at = $1 WHERE device_id LIKE 'BUS-C%'`, [since]);

    // Each validator heartbeats three times at once, on both replicas, while both replicas sweep.
    const before = new Date();
    await Promise.all([
      a.get(ValidatorOfflineSweep).sweep(),
      ...fleet.flatMap((bus) => [bus.heartbeat(), onB(bus).heartbeat(), onB(bus).heartbeat()]),
      b.get(ValidatorOfflineSweep).sweep(),
    ]);
    await settledAll(fleet.map((v) => v.deviceId), 3);
    for (const bus of fleet) {
      const row = await status(bus.deviceId);
      const [offline, online] = of(bus.deviceId).slice(1);
      expect(of(bus.deviceId).slice(1)).toEqual([
        event({ deviceId: bus.deviceId, enterpriseId: '398', lineId: 'L1', status: 'offline', at: offlineAt(since), ...(offline.lng === undefined ? {} : AT) }),
        event({ deviceId: bus.deviceId, enterpriseId: '398', lineId: 'L1', status: 'online', at: expect.any(String), ...AT }),
      ]);
      // The online is the first of its heartbeats to be written (its time, then, is one of theirs).
      expect(new Date(online.at!).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(new Date(online.at!).getTime()).toBeLessThanOrEqual(row.last_seen_at.getTime());
      expect(row.online).toBe(true);
    }
    expect(await Promise.all([a.get(ValidatorOfflineSweep).sweep(), b.get(ValidatorOfflineSweep).sweep()])).toEqual([0, 0]);
  });
});
