import { randomUUID } from 'node:crypto';
import { Events } from '@onecard/contracts';
import { eventually, TestBus } from '@onecard/testing';
import { closeAll, inboxIds, QUICK_RETRIES, RunningApp, startApp, startSupervisionPlatform } from './support/apps';
import { ACCEPTED, becomes, BLOCKED, busValidator, BusValidator, Cardholder, kioskIssued, PASSES, REFUSED, siteGate, SiteGate } from './support/devices';

/**
 * Fault drill: events a consumer cannot apply are kept where operators see them, never lost, and
 * applied once the cause is fixed; one consumer's trouble does not hold back another's.
 * - campus-card keeps a card.issued for a user it does not know in /admin/card-issues (its own
 *   documented place for them) and applies it on retry once the user exists;
 * - a message that fails validation is a dead letter at /admin/events?status=dead in every
 *   consumer at once (replaying it cannot help: it stays dead);
 * - an event failing on every delivery becomes a dead letter after its retries, and the operator's
 *   replay applies it once the fault is gone.
 */
describe('drill: events a consumer cannot apply', () => {
  let bus: TestBus;
  let campus: RunningApp;
  let transit: RunningApp;
  let attendance: RunningApp;
  let platform: Awaited<ReturnType<typeof startSupervisionPlatform>>;
  let validator: BusValidator;

  /** The app's dead letters whose message carries `eventId`. */
  const deadLetters = async (app: RunningApp, eventId: string, status = 'dead') => {
    const res = await app.admin('GET', `/admin/events?status=${status}&limit=1000`);
    // Each app's envelope: transit's around the page, wage-attendance's with the page as its result.
    const page = app === attendance ? res.body.result : res.body;
    expect(page).toMatchObject({ total: expect.any(Number), limit: 1000, offset: 0, items: expect.any(Array) });
    return (page.items as Array<{ id: number; eventId: string | null }>).filter((l) => l.eventId === eventId);
  };

  beforeAll(async () => {
    bus = await TestBus.create();
    platform = await startSupervisionPlatform();
    [campus, transit, attendance] = await Promise.all([
      startApp('campus', bus, { env: QUICK_RETRIES }),
      startApp('transit', bus, { env: QUICK_RETRIES }),
      startApp('attendance', bus, { platformUrl: platform.url, env: QUICK_RETRIES }),
    ]);
    validator = await busValidator(transit, 'BUS-POISON');
  }, 60_000);
  afterAll(async () => {
    await closeAll(campus, transit, attendance, platform);
    await bus?.close();
  });

  it('keeps a card printed for a user campus-card does not know, and binds it once the user exists', async () => {
    const userCode = `NEW${randomUUID().slice(0, 8).toUpperCase()}`;
    const card = await bus.publish(Events.CardIssued, kioskIssued(userCode));
    // transit-validation does not depend on campus-card: the card rides at once.
    expect(await becomes(() => validator.check(card.uid), ACCEPTED)).toEqual(ACCEPTED);
    const kept = await eventually(async () => (await campus.admin('GET', '/admin/card-issues')).body.entities[0].items.find((e: { eventId: string }) => e.eventId === card.eventId));
    expect(kept).toMatchObject({ eventId: card.eventId, userCode, cardId: card.uid, reason: `no campus user ${userCode}`, resolvedAt: null });
    expect(await inboxIds(campus, [card.eventId])).toEqual([card.eventId]);

    // The user is registered; the operator retries: the account is opened and bound, and works across services.
    const holder = await Cardholder.create(campus, userCode);
    expect((await holder.card()).body.entities).toEqual([]);
    expect((await campus.admin('POST', `/admin/card-issues/${card.eventId}/retry`)).body.entities).toEqual([{ eventId: card.eventId, resolution: 'applied' }]);
    expect((await holder.card()).body.entities).toEqual([expect.objectContaining({ cardNo: card.cardNo, cardId: card.uid, lost: false })]);
    expect((await holder.setLost(card.cardNo, true)).body.errno).toBe(0);
    expect(await becomes(() => validator.check(card.uid), REFUSED)).toEqual(REFUSED);
  });

  it('makes an unreadable event a dead letter in every consumer, and keeps consuming after it', async () => {
    const broken = { eventId: randomUUID(), occurredAt: new Date().toISOString(), producer: 'campus-card', cardNo: '0001', cardId: 'not a card!', userCode: 'U1', lost: true, frozen: false, change: 'lost' };
    await bus.publishRaw(Events.CardStatusChanged, broken);
    const letters = await eventually(async () => {
      const found = await Promise.all([transit, attendance].map((app) => deadLetters(app, broken.eventId)));
      return found.every((l) => l.length === 1) ? found.map(([l]) => l) : undefined;
    });
    for (const letter of letters) {
      expect(letter).toMatchObject({ status: 'dead', subject: Events.CardStatusChanged, reason: 'invalid', deliveries: 1, message: broken, error: expect.stringMatching(/cardId must match/) });
    }
    // Replaying cannot make it readable: it stays dead, saying why.
    const replay = await attendance.admin('POST', `/admin/events/${letters[1].id}/replay`);
    expect(replay.body).toMatchObject({ success: false, message: expect.stringMatching(/^replay failed, still dead: invalid: .*cardId must match/) });
    expect(await deadLetters(attendance, broken.eventId)).toHaveLength(1);

    // The next event on the subject is applied as usual by both.
    const next = await bus.publish(Events.CardStatusChanged, { cardNo: '0002', cardId: 'ABCD0001', userCode: 'U2', lost: true, frozen: false, change: 'lost' });
    await eventually(async () => (await inboxIds(transit, [next.eventId])).length === 1 && (await inboxIds(attendance, [next.eventId])).length === 1);
  });

  it('makes an event failing on every delivery a dead letter, and applies it once on replay after the fault is fixed', async () => {
    const holder = await Cardholder.create(campus);
    const card = await bus.publish(Events.CardIssued, kioskIssued(holder.userCode));
    await eventually(async () => (await holder.card()).body.entities?.[0]?.cardId === card.uid);
    const gate: SiteGate = await siteGate(attendance, 'POISON-GATE', card.uid);
    expect(await gate.tap()).toEqual(PASSES);

    // A fault in wage-attendance's store refuses this one card's block row.
    await attendance.db.query(`CREATE FUNCTION refuse_card() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk says no to %', NEW.card_key; END $$`);
    await attendance.db.query(`CREATE TRIGGER refuse_card BEFORE INSERT OR UPDATE ON card_block FOR EACH ROW WHEN (NEW.card_key = '${card.uid}') EXECUTE FUNCTION refuse_card()`);
    expect((await holder.setLost(card.cardNo, true)).body.errno).toBe(0);
    const lost = await eventually(async () => (await bus.stored(Events.CardStatusChanged)).find((e) => e.cardId === card.uid));

    // transit-validation is not held back; wage-attendance gives up after its retries and keeps the event.
    expect(await becomes(() => validator.check(card.uid), REFUSED)).toEqual(REFUSED);
    const [letter] = await eventually(async () => deadLetters(attendance, lost.eventId).then((l) => (l.length ? l : undefined)), 20_000);
    expect(letter).toMatchObject({ status: 'dead', reason: 'failed', deliveries: 5, message: lost, error: expect.stringMatching(`disk says no to ${card.uid}`) });
    expect(await inboxIds(attendance, [lost.eventId])).toEqual([]);
    expect(await gate.tap()).toEqual(PASSES);

    // Fixed, then replayed by the operator: applied once; a second replay is refused.
    await attendance.db.query(`DROP TRIGGER refuse_card ON card_block`);
    const replay = await attendance.admin('POST', `/admin/events/${letter.id}/replay`);
    expect(replay.body).toMatchObject({ success: true, result: { id: letter.id, status: 'replayed', outcome: 'applied', replays: 1 } });
    expect(await gate.tap()).toEqual(BLOCKED);
    expect(await inboxIds(attendance, [lost.eventId])).toEqual([lost.eventId]);
    expect((await attendance.admin('POST', `/admin/events/${letter.id}/replay`)).body).toMatchObject({ success: false, message: `id: dead letter ${letter.id} was replayed already` });
    expect(await deadLetters(attendance, lost.eventId)).toEqual([]);
    expect(await deadLetters(attendance, lost.eventId, 'replayed')).toHaveLength(1);
  });
});
