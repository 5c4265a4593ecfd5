import { Events } from '@onecard/contracts';
import { eventually, TcpProxy, TEST_NATS_URL, TestBus } from '@onecard/testing';
import { closeAll, inboxIds, outboxBacklog, RunningApp, startApp, startSupervisionPlatform } from './support/apps';
import { ACCEPTED, becomes, BLOCKED, busValidator, BusValidator, Cardholder, kioskIssued, PASSES, REFUSED, siteGate, SiteGate } from './support/devices';

/** The app's NATS_URL through `proxy` (the shared nats-server itself is never stopped). */
const through = (proxy: TcpProxy) => ({ NATS_URL: proxy.rewrite(TEST_NATS_URL).replace(/\/$/, '') });

/**
 * Fault drill: one app's link to NATS cut mid-journey, by a TCP proxy between it and the shared
 * server. The producer (campus-card) keeps answering its API, its events wait in its outbox and
 * arrive once, in order, when the link heals; a consumer (wage-attendance) cut off catches up
 * from its durable consumer when it is back. Each consumer applies each event once.
 */
describe('drill: NATS cut between one app and the bus', () => {
  let bus: TestBus;
  let campusLink: TcpProxy;
  let attendanceLink: TcpProxy;
  let campus: RunningApp;
  let transit: RunningApp;
  let attendance: RunningApp;
  let platform: Awaited<ReturnType<typeof startSupervisionPlatform>>;
  let holder: Cardholder;
  let validator: BusValidator;
  let gate: SiteGate;
  let card: { cardNo: string; uid: string };

  const health = (app: RunningApp) => app.http('GET', '/health').then((r) => r.status);

  beforeAll(async () => {
    bus = await TestBus.create();
    [campusLink, attendanceLink, platform] = await Promise.all([TcpProxy.start(TEST_NATS_URL), TcpProxy.start(TEST_NATS_URL), startSupervisionPlatform()]);
    [campus, transit, attendance] = await Promise.all([
      startApp('campus', bus, { env: through(campusLink) }),
      startApp('transit', bus),
      startApp('attendance', bus, { platformUrl: platform.url, env: through(attendanceLink) }),
    ]);
    // A holder whose kiosk-printed card is bound, whitelisted and passes the gate.
    holder = await Cardholder.create(campus);
    validator = await busValidator(transit, 'BUS-CUT');
    card = await bus.publish(Events.CardIssued, kioskIssued(holder.userCode));
    await eventually(async () => (await holder.card()).body.entities?.[0]?.cardId === card.uid);
    gate = await siteGate(attendance, 'CUT-GATE', card.uid);
    expect(await becomes(() => validator.check(card.uid), ACCEPTED)).toEqual(ACCEPTED);
  }, 60_000);
  afterAll(async () => {
    // Links healed first (a test that failed mid-cut leaves one down): an app closed while its link
    // is down leaves NATS client timers behind that keep the test process alive.
    await Promise.all([campusLink?.up(), attendanceLink?.up()]);
    await closeAll(campus, transit, attendance, platform);
    await closeAll(campusLink, attendanceLink);
    await bus?.close();
  }, 40_000);

  it("queues the producer's events in its outbox while its link is cut, and delivers each once, in order, when it heals", async () => {
    const changes = bus.collect(Events.CardStatusChanged);
    await campusLink.down();
    await eventually(async () => (await health(campus)) === 503);

    // The card API keeps answering: lost, found, lost again.
    for (const lost of [true, false, true]) expect((await holder.setLost(card.cardNo, lost)).body).toEqual({ errno: 0, error: 'success', total: 0 });
    expect(await outboxBacklog(campus)).toBe(3);
    expect(await changes.settle(500)).toEqual([]);
    // Nothing reached the other services: the card still works everywhere.
    expect(await validator.check(card.uid)).toEqual(ACCEPTED);
    expect(await gate.tap()).toEqual(PASSES);

    await campusLink.up();
    const events = await changes.waitFor(3, 20_000);
    expect(events.map((e) => [e.cardId, e.change, e.lost])).toEqual([
      [card.uid, 'lost', true],
      [card.uid, 'found', false],
      [card.uid, 'lost', true],
    ]);
    await eventually(async () => (await outboxBacklog(campus)) === 0);
    await eventually(async () => (await health(campus)) === 200);
    // Exactly once on the stream, whatever the relay retried.
    const ids = events.map((e) => e.eventId);
    expect((await bus.stored(Events.CardStatusChanged)).map((e) => e.eventId)).toEqual(ids);
    expect(await changes.settle(300)).toHaveLength(3);
    changes.stop();

    // The last word (lost) holds at the validator and the gate; each consumer applied each event once.
    expect(await becomes(() => validator.check(card.uid), REFUSED)).toEqual(REFUSED);
    expect(await becomes(() => gate.tap(), BLOCKED)).toEqual(BLOCKED);
    await eventually(async () => (await inboxIds(attendance, ids)).length === 3 && (await inboxIds(transit, ids)).length === 3);
    expect(await inboxIds(transit, ids)).toEqual([...ids].sort());
    expect(await inboxIds(attendance, ids)).toEqual([...ids].sort());
  }, 45_000);

  it('lets a consumer cut off from NATS catch up from its durable consumer when its link heals', async () => {
    await attendanceLink.down();
    await eventually(async () => (await health(attendance)) === 503);
    const changes = bus.collect(Events.CardStatusChanged);
    expect((await holder.setLost(card.cardNo, false)).body).toEqual({ errno: 0, error: 'success', total: 0 });
    const [found] = await changes.waitFor(1);
    changes.stop();

    // transit took the find; the gate, cut off, has not heard of it and keeps the card blocked.
    expect(await becomes(() => validator.check(card.uid), ACCEPTED)).toEqual(ACCEPTED);
    expect(await gate.tap()).toEqual(BLOCKED);
    expect(await inboxIds(attendance, [found.eventId])).toEqual([]);

    await attendanceLink.up();
    expect(await becomes(() => gate.tap(), PASSES, 20_000)).toEqual(PASSES);
    expect(await inboxIds(attendance, [found.eventId])).toEqual([found.eventId]);
    expect(await inboxIds(transit, [found.eventId])).toEqual([found.eventId]);
  }, 45_000);
});
