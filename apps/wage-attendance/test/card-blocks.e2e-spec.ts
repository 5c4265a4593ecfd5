import { Events } from '@onecard/contracts';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { wageAttendanceApp } from '../src/app.definition';
import { FakePlatform } from './support/fake-platform';
import { attendanceEnv, call, CALLBACK_SECRET, newDeviceKey } from './support/platform-client';
import { recordGuid, TerminalClient } from './support/terminal-client';

describe('wage-attendance: a lost, frozen or replaced card stops passing card recognition at every terminal', () => {
  let app: TestApp & { bus: TestBus };
  let platform: FakePlatform;
  let gateA: TerminalClient;
  let gateB: TerminalClient;

  beforeAll(async () => {
    platform = await new FakePlatform(CALLBACK_SECRET).start();
    app = await startTestApp(wageAttendanceApp, { env: attendanceEnv(platform.url) });
    gateA = await TerminalClient.create(app, newDeviceKey('A'));
    gateB = await TerminalClient.create(app, newDeviceKey('B'));
  });
  afterAll(async () => {
    await app?.close();
    await platform?.stop();
  });

  async function workerWithCard(cardNo: string): Promise<string> {
    const guid = (await call(app, '/person/create', { cardNo, name: '工人' })).body.result.guid;
    for (const gate of [gateA, gateB]) await call(app, '/person/authorize', { guids: guid, permission: 3, deviceKey: gate.deviceKey });
    return guid;
  }

  const tap = (gate: TerminalClient, personGuid: string, cardNo: string, recMode = 2) =>
    gate.identify({ guid: recordGuid(), personGuid, showTime: String(Date.now()), type: 1, recMode, cardNo }).then((r) => r.body.result);

  const blocked = (key: string) => app.db.query(`SELECT blocked, reason, source FROM card_block WHERE card_key = $1`, [key]).then((rows) => rows[0]);

  it('refuses a card campus-card reports lost (card.status-changed on NATS) at both terminals, in the identify callback too, until it is found', async () => {
    const worker = await workerWithCard('04A1B2C3D4');
    const before = await gateA.sync();
    expect(await tap(gateA, worker, '04A1B2C3D4')).toMatchObject({ type: 1, cardBlocked: false, pass: true });

    await app.bus.publish(Events.CardStatusChanged, { cardNo: '20240001', cardId: '04A1B2C3D4', userCode: 'U1', lost: true, frozen: false, change: 'lost' });
    await eventually(async () => (await blocked('04A1B2C3D4'))?.blocked === true);
    expect(await blocked('04A1B2C3D4')).toEqual({ blocked: true, reason: 'lost', source: 'campus-card' });
    for (const gate of [gateA, gateB]) {
      expect(await tap(gate, worker, '04a1b2c3d4')).toMatchObject({ type: 2, cardBlocked: true, pass: false });
      expect(await tap(gate, worker, '04A1B2C3D4', 3)).toMatchObject({ type: 2, cardBlocked: true, pass: false });
    }
    // The face alone still passes; terminals learn of the card in their next sync.
    expect(await tap(gateA, worker, '', 1)).toMatchObject({ type: 1, pass: true });
    const after = await gateA.sync(before.body.result.cursor);
    expect(after.body.result.items).toEqual([expect.objectContaining({ personGuid: worker, action: 'add', cardNo: '04A1B2C3D4', cardBlocked: true })]);
    await eventually(() => platform.received.some((c) => c.form.deviceKey === gateB.deviceKey && c.form.cardNo === '04a1b2c3d4' && c.form.type === '2'));

    await app.bus.publish(Events.CardStatusChanged, { cardNo: '20240001', cardId: '04A1B2C3D4', userCode: 'U1', lost: false, frozen: false, change: 'found' });
    await eventually(async () => (await blocked('04A1B2C3D4'))?.blocked === false);
    expect(await tap(gateB, worker, '04A1B2C3D4')).toMatchObject({ type: 1, cardBlocked: false, pass: true });
  });

  it('keeps a replaced card out for good, and ignores an older event arriving after a newer one', async () => {
    const worker = await workerWithCard('0A0B0C0D');
    const later = new Date().toISOString();
    await app.bus.publish(Events.CardStatusChanged, { cardNo: '20240002', cardId: '0A0B0C0D', userCode: 'U2', lost: false, frozen: false, change: 'replaced' });
    await eventually(async () => (await blocked('0A0B0C0D'))?.blocked === true);
    expect(await blocked('0A0B0C0D')).toMatchObject({ reason: 'replaced' });
    // The account's number is not blocked: it lives on under the new card.
    expect(await blocked('20240002')).toBeUndefined();
    // A "found" that happened before the replacement, delivered late, changes nothing.
    await app.bus.publish(Events.CardStatusChanged, { cardNo: '20240002', cardId: '0A0B0C0D', userCode: 'U2', lost: false, frozen: false, change: 'found', occurredAt: new Date(Date.parse(later) - 60_000).toISOString() } as never);
    await new Promise((r) => setTimeout(r, 500));
    expect(await blocked('0A0B0C0D')).toMatchObject({ blocked: true, reason: 'replaced' });
    expect(await tap(gateA, worker, '0A0B0C0D')).toMatchObject({ type: 2, cardBlocked: true });
  });

  it('refuses a card tuya-bridge reports frozen (card.changed), and takes it back once normal', async () => {
    const worker = await workerWithCard('T00012345');
    await app.bus.publish(Events.TuyaCardChanged, { projectId: 'p1', personId: 'tp1', personCardId: 'pc1', cardNo: 'T00012345', cardStatus: 2, change: 'updated' });
    await eventually(async () => (await blocked('T00012345'))?.blocked === true);
    expect(await tap(gateB, worker, 'T00012345')).toMatchObject({ type: 2, cardBlocked: true, pass: false });
    await app.bus.publish(Events.TuyaCardChanged, { projectId: 'p1', personId: 'tp1', personCardId: 'pc1', cardNo: 'T00012345', cardStatus: 1, change: 'updated' });
    await eventually(async () => (await blocked('T00012345'))?.blocked === false);
    expect(await tap(gateB, worker, 'T00012345')).toMatchObject({ type: 1, pass: true });
  });
});
