import { randomBytes } from 'node:crypto';
import { Events } from '@onecard/contracts';
import { eventually, TestBus } from '@onecard/testing';
import { closeAll, inboxIds, RunningApp, startApp, startSupervisionPlatform } from './support/apps';
import { becomes, BLOCKED, Cardholder, kioskIssued, PASSES, siteGate } from './support/devices';

/**
 * Fault drill: a consumer (wage-attendance) closed while card.status-changed events flow, more
 * events published while it is away, then started again on the same schema. Its durable consumer
 * hands it everything it missed: every event applied once, none lost, the last word on each card
 * holding at the gate. transit-validation, up throughout, applied the same events once each too.
 */
describe('drill: a consumer closed and started again while events are published', () => {
  const schema = `wage_attendance_r${randomBytes(4).toString('hex')}`;
  let bus: TestBus;
  let campus: RunningApp;
  let transit: RunningApp;
  let attendance: RunningApp;
  let platform: Awaited<ReturnType<typeof startSupervisionPlatform>>;

  const startAttendance = (keepSchema: boolean) => startApp('attendance', bus, { platformUrl: platform.url, env: { DB_SCHEMA: schema }, keepSchema });

  beforeAll(async () => {
    bus = await TestBus.create();
    platform = await startSupervisionPlatform();
    // The first wage-attendance keeps its schema when closed; the second drops it.
    [campus, transit, attendance] = await Promise.all([startApp('campus', bus), startApp('transit', bus), startAttendance(true)]);
  }, 60_000);
  afterAll(async () => {
    await closeAll(campus, transit, attendance, platform);
    await bus?.close();
  });

  it('applies every event published before, during and after the restart exactly once', async () => {
    // Four holders with bound cards.
    const holders = await Promise.all([1, 2, 3, 4].map(() => Cardholder.create(campus)));
    const cards = await Promise.all(holders.map((h) => bus.publish(Events.CardIssued, kioskIssued(h.userCode))));
    await eventually(async () => (await Promise.all(holders.map((h) => h.card()))).every((r, i) => r.body.entities?.[0]?.cardId === cards[i].uid));
    const changes = bus.collect(Events.CardStatusChanged);
    const setLost = async (i: number, lost: boolean) => expect((await holders[i].setLost(cards[i].cardNo, lost)).body).toEqual({ errno: 0, error: 'success', total: 0 });

    // All four reported lost while wage-attendance shuts down.
    const closing = attendance.close();
    await Promise.all(holders.map((_, i) => setLost(i, true)));
    await closing;
    // While it is away: cards 0 and 1 found, card 0 lost again.
    await setLost(0, false);
    await setLost(1, false);
    await setLost(0, true);
    const events = await changes.waitFor(7);
    const ids = events.map((e) => e.eventId);

    attendance = await startAttendance(false);
    // Everything it missed arrives (a delivery cut short by the shutdown comes back after JetStream's ack wait at worst).
    await eventually(async () => (await inboxIds(attendance, ids)).length === 7, 45_000);
    expect(await inboxIds(attendance, ids)).toEqual([...ids].sort());
    expect((await attendance.admin('GET', '/admin/events?status=dead')).body.result).toEqual({ total: 0, limit: 100, offset: 0, items: [] });

    // The last word on each card holds at a site gate.
    const gate = await siteGate(attendance, 'RESTART-GATE', cards[0].uid);
    expect(await Promise.all(cards.map((c) => gate.tap(c.uid)))).toEqual([BLOCKED, PASSES, BLOCKED, BLOCKED]);
    const blocks = await attendance.db.query(`SELECT card_key, blocked FROM card_block WHERE card_key = ANY($1) ORDER BY card_key`, [cards.map((c) => c.uid)]);
    expect(blocks).toEqual(cards.map((c, i) => ({ card_key: c.uid, blocked: i !== 1 })).sort((a, b) => a.card_key.localeCompare(b.card_key)));

    // transit-validation, up all along, applied each event once too.
    await eventually(async () => (await inboxIds(transit, ids)).length === 7);
    expect(await inboxIds(transit, ids)).toEqual([...ids].sort());
    expect(await becomes(async () => (await changes.settle(200)).length, 7)).toBe(7);
    changes.stop();
  }, 90_000);
});
