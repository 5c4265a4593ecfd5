import { EventMessage, Events } from '@onecard/contracts';
import { Outbox } from '@onecard/messaging';
import { EventCollector, eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { CardIssuanceConfig } from '../src/config';
import { KioskOfflineSweep } from '../src/kiosk-auth/kiosk-offline-sweep';
import { createMachine, issuanceEnv } from './support/fixtures';
import { KioskClient } from './support/kiosk-client';

type StatusEvent = EventMessage<typeof Events.MachineStatusChanged>;
type App = TestApp<CardIssuanceConfig> & { bus: TestBus };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const WINDOW_S = 20;
/** A replica writes a kiosk's last-seen time at most every tenth of the window: past this, its next call is written. */
const WRITE_EVERY_MS = (WINDOW_S * 1000) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The whole message an operator console receives for one change. */
function event(fields: Omit<StatusEvent, 'eventId' | 'occurredAt' | 'producer'>): StatusEvent {
  return { eventId: expect.stringMatching(UUID), occurredAt: expect.any(String), producer: 'card-issuance', ...fields };
}

describe('card-issuance: kiosks online, offline, enabled and disabled as machine.status-changed', () => {
  let a: App;
  let b: App;
  let seen: EventCollector<typeof Events.MachineStatusChanged>;

  const of = (machineNo: string) => seen.events.filter((e) => e.machineNo === machineNo);
  /** Waits until each kiosk has `n` events, then a little longer, so one too many shows. */
  const settledAll = async (machineNos: string[], n: number) => {
    await eventually(() => machineNos.every((m) => of(m).length >= n));
    await sleep(300);
  };
  const settled = async (machineNo: string, n: number) => {
    await settledAll([machineNo], n);
    return of(machineNo);
  };
  const row = async (machineNo: string) =>
    (await a.db.query(`SELECT last_seen_at, online_published, updated_at FROM machine WHERE machine_no = $1`, [machineNo]))[0] as {
      last_seen_at: Date | null; online_published: boolean; updated_at: Date;
    };
  /** A signed call on `app`, and its last-seen write landed (KioskPresence writes after the answer). */
  const call = async (kiosk: KioskClient, app: App = a) => {
    const sent = Date.now();
    const on = new KioskClient(app, kiosk.machineNo, kiosk.secret);
    expect((await on.machineDetail()).body.code).toBe(0);
    await eventually(async () => ((await row(kiosk.machineNo)).last_seen_at?.getTime() ?? 0) >= sent - 5 || undefined);
  };
  /** What /admin/machines/{machineNo} shows: the state the events must agree with. */
  const shownOnline = async (machineNo: string) => (await a.admin('GET', `/admin/machines/${machineNo}`)).body.data.online;
  /** The kiosk has been silent since `since` (as if its last call was then). */
  const silence = (machineNo: string, since = new Date(Date.now() - 3_600_000)) =>
    a.db.query(`UPDATE machine SET last_seen_at = $2 WHERE machine_no = $1`, [machineNo, since]).then(() => since);
  const offlineAt = (since: Date) => new Date(since.getTime() + WINDOW_S * 1000).toISOString();
  const sweeper = (app: App) => app.get(KioskOfflineSweep);

  beforeAll(async () => {
    // The sweeps' own timers are out of the way: each test sweeps when it means to.
    const env = issuanceEnv({ KIOSK_OFFLINE_AFTER_S: String(WINDOW_S), KIOSK_OFFLINE_SWEEP_MS: '600000' });
    a = await startTestApp(cardIssuanceApp, { env });
    // A second replica on the same schema and bus.
    b = await startTestApp(cardIssuanceApp, { env: { ...env, DB_SCHEMA: a.schema }, bus: a.bus, keepSchema: true });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });
  beforeEach(async () => {
    // Kiosks of earlier tests out of the sweeps' way (as offline): each test counts what its sweeps mark.
    await a.db.query(`UPDATE machine SET online_published = false`);
    seen = a.bus.collect(Events.MachineStatusChanged);
  });
  afterEach(() => seen.stop());

  it('refuses to start with a bad KIOSK_OFFLINE_SWEEP_MS, naming it', async () => {
    await expect(startTestApp(cardIssuanceApp, { env: issuanceEnv({ KIOSK_OFFLINE_SWEEP_MS: '49' }) })).rejects.toThrow(
      'Invalid configuration: KIOSK_OFFLINE_SWEEP_MS must be an integer from 50 to 600000',
    );
  });

  it('publishes online with the first call, offline once after the window, online when it is back; as /admin/machines shows it', async () => {
    const kiosk = await createMachine(a, 'P1');
    const { machineNo } = kiosk;
    expect(await shownOnline(machineNo)).toBe(false);
    await call(kiosk);
    const first = await row(machineNo);
    expect(await settled(machineNo, 1)).toEqual([event({ machineNo, projectId: 'P1', status: 'online', at: first.last_seen_at!.toISOString() })]);
    expect(first.online_published).toBe(true);
    expect(await shownOnline(machineNo)).toBe(true);

    // More calls (on either replica) while online publish nothing; nor does a sweep.
    await call(kiosk, b);
    expect((await kiosk.machineDetail()).body.code).toBe(0);
    expect(await sweeper(a).sweep()).toBe(0);
    expect(await settled(machineNo, 1)).toHaveLength(1);

    // Silent past the window: /admin/machines says offline, and the sweep publishes it once.
    const since = await silence(machineNo);
    expect(await shownOnline(machineNo)).toBe(false);
    expect(await sweeper(a).sweep()).toBe(1);
    expect(await sweeper(b).sweep()).toBe(0);
    expect((await settled(machineNo, 2))[1]).toEqual(event({ machineNo, projectId: 'P1', status: 'offline', at: offlineAt(since) }));
    expect((await row(machineNo)).online_published).toBe(false);

    // Its next call brings it back, once (a call on the other replica after it adds nothing).
    await sleep(WRITE_EVERY_MS + 100);
    await call(kiosk);
    const back = await row(machineNo);
    await call(kiosk, b);
    expect((await settled(machineNo, 3)).slice(2)).toEqual([event({ machineNo, projectId: 'P1', status: 'online', at: back.last_seen_at!.toISOString() })]);
    expect(await shownOnline(machineNo)).toBe(true);

    // Silent past the window again and back before any sweep ran: the offline it missed, then online, in that order.
    const again = await silence(machineNo);
    await sleep(WRITE_EVERY_MS + 100);
    await call(kiosk, b);
    const returned = await row(machineNo);
    expect((await settled(machineNo, 5)).slice(3)).toEqual([
      event({ machineNo, projectId: 'P1', status: 'offline', at: offlineAt(again) }),
      event({ machineNo, projectId: 'P1', status: 'online', at: returned.last_seen_at!.toISOString() }),
    ]);
    expect(await sweeper(a).sweep()).toBe(0);
    expect(await settled(machineNo, 5)).toHaveLength(5);
    expect((await a.bus.stored(Events.MachineStatusChanged)).filter((e) => e.machineNo === machineNo)).toEqual(of(machineNo));
  });

  it('publishes disabled and enabled when an operator changes the status, once; a disabled kiosk still comes and goes', async () => {
    const kiosk = await createMachine(a, 'P2');
    const { machineNo } = kiosk;
    expect((await a.admin('PATCH', `/admin/machines/${machineNo}`, { status: 2 })).body.data.status).toBe(2);
    const disabled = await row(machineNo);
    // The same status again, or another field, is no change.
    expect((await b.admin('PATCH', `/admin/machines/${machineNo}`, { status: 2 })).body.code).toBe(0);
    expect((await a.admin('PATCH', `/admin/machines/${machineNo}`, { address: '2 Test Road' })).body.code).toBe(0);
    expect(await settled(machineNo, 1)).toEqual([event({ machineNo, projectId: 'P2', status: 'disabled', at: disabled.updated_at.toISOString() })]);

    // Refused, but heard: online; silent: offline.
    const refused = await new KioskClient(a, machineNo, kiosk.secret).saveMachine({ cardCount: '1', inkCount: '1', cardRopeCover: '1' });
    expect(refused.body).toMatchObject({ success: false, msg: 'x-machine-no: machine is disabled' });
    await eventually(async () => (await row(machineNo)).online_published || undefined);
    expect((await settled(machineNo, 2))[1]).toEqual(event({ machineNo, projectId: 'P2', status: 'online', at: (await row(machineNo)).last_seen_at!.toISOString() }));
    const since = await silence(machineNo);
    expect(await sweeper(b).sweep()).toBe(1);

    expect((await b.admin('PATCH', `/admin/machines/${machineNo}`, { status: 1 })).body.data.status).toBe(1);
    const enabled = await row(machineNo);
    expect((await settled(machineNo, 4)).slice(2)).toEqual([
      event({ machineNo, projectId: 'P2', status: 'offline', at: offlineAt(since) }),
      event({ machineNo, projectId: 'P2', status: 'enabled', at: enabled.updated_at.toISOString() }),
    ]);
    // A machine that does not exist is refused as before, publishing nothing.
    expect((await a.admin('PATCH', '/admin/machines/NOPE-1', { status: 2 })).body).toMatchObject({ success: false, msg: 'machineNo: no machine NOPE-1' });
  });

  it('publishes each kiosk’s offline once, however many replicas sweep at once', async () => {
    const fleet = await Promise.all(Array.from({ length: 30 }, () => createMachine(a, 'P1')));
    await Promise.all(fleet.map((k) => call(k)));
    await settledAll(fleet.map((k) => k.machineNo), 1);
    const since = new Date(Date.now() - 3_600_000);
    await a.db.query(`UPDATE machine SET last_seen_at = $1 WHERE machine_no = ANY($2)`, [since, fleet.map((k) => k.machineNo)]);

    // Each replica's sweep, and four more sweepers as further replicas would run them, all at once.
    const sweepers = [sweeper(a), sweeper(b), ...[a, b, a, b].map((app) => new KioskOfflineSweep(app.db, app.get(Outbox), app.config))];
    const counts = await Promise.all(sweepers.map((s) => s.sweep()));
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(30);
    expect(await Promise.all([sweeper(a).sweep(), sweeper(b).sweep()])).toEqual([0, 0]);
    await settledAll(fleet.map((k) => k.machineNo), 2);
    for (const { machineNo } of fleet) {
      expect(of(machineNo).slice(1)).toEqual([event({ machineNo, projectId: 'P1', status: 'offline', at: offlineAt(since) })]);
    }
  });

  it('publishes offline then online once each when sweeps race kiosks’ calls on both replicas', async () => {
    const fleet = await Promise.all(Array.from({ length: 20 }, () => createMachine(a, 'P1')));
    await Promise.all(fleet.map((k) => call(k)));
    await settledAll(fleet.map((k) => k.machineNo), 1);
    const since = new Date(Date.now() - 3_600_000);
    await a.db.query(`UPDATE machine SET last_seen_at = $1 WHERE machine_no = ANY($2)`, [since, fleet.map((k) => k.machineNo)]);
    await sleep(WRITE_EVERY_MS + 100);

    // Each kiosk calls on both replicas at once, while both sweep.
    const before = Date.now();
    await Promise.all([
      sweeper(a).sweep(),
      ...fleet.flatMap((k) => [k.machineDetail(), new KioskClient(b, k.machineNo, k.secret).machineDetail()]),
      sweeper(b).sweep(),
    ]);
    await settledAll(fleet.map((k) => k.machineNo), 3);
    for (const { machineNo } of fleet) {
      const heard = await row(machineNo);
      const [, online] = of(machineNo).slice(1);
      expect(of(machineNo).slice(1)).toEqual([
        event({ machineNo, projectId: 'P1', status: 'offline', at: offlineAt(since) }),
        event({ machineNo, projectId: 'P1', status: 'online', at: expect.any(String) }),
      ]);
      // The online is the first of its calls to be written (its time, then, is one of theirs).
      expect(new Date(online.at).getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(new Date(online.at).getTime()).toBeLessThanOrEqual(heard.last_seen_at!.getTime());
      expect(heard.online_published).toBe(true);
    }
    expect(await Promise.all([sweeper(a).sweep(), sweeper(b).sweep()])).toEqual([0, 0]);
  });
});
