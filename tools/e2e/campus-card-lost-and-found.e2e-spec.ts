import { Events } from '@onecard/contracts';
import { eventually, TestBus } from '@onecard/testing';
import { closeAll, inboxCount, RunningApp, startApp, startSupervisionPlatform } from './support/apps';
import { ACCEPTED, becomes, BLOCKED, busValidator, Cardholder, PASSES, printCardAtKiosk, REFUSED, siteGate } from './support/devices';

/**
 * DESIGN flows 1 and 2 across four real services on one bus, as the devices see them: a kiosk
 * prints a campus cardholder's card → card.issued → campus-card opens the account bound to it and
 * transit-validation whitelists it → the holder reports it lost through the card API →
 * card.status-changed → the bus validator refuses it and a site gate's identify judges it
 * blocked → found again, both take it again.
 */
describe('journey: a campus card printed, lost and found, across four services', () => {
  let bus: TestBus;
  let issuance: RunningApp;
  let campus: RunningApp;
  let transit: RunningApp;
  let attendance: RunningApp;
  let platform: Awaited<ReturnType<typeof startSupervisionPlatform>>;

  beforeAll(async () => {
    bus = await TestBus.create();
    platform = await startSupervisionPlatform();
    [issuance, campus, transit, attendance] = await Promise.all([
      startApp('issuance', bus),
      startApp('campus', bus),
      startApp('transit', bus),
      startApp('attendance', bus, { platformUrl: platform.url }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await closeAll(issuance, campus, transit, attendance, platform);
    await bus?.close();
  });

  it('opens and binds the account, whitelists the card, and carries a loss and a find to the validator and the site gate', async () => {
    const holder = await Cardholder.create(campus);
    const validator = await busValidator(transit, 'BUS-J1');
    expect((await holder.card()).body).toEqual({ errno: 0, error: 'success', total: 0, entities: [] });

    // A kiosk prints the holder's card (the order's userId is the campus userCode).
    const printed = await printCardAtKiosk(issuance, holder.userCode);
    const issued = await eventually(async () => (await bus.stored(Events.CardIssued)).find((e) => e.orderId === printed.orderId));
    expect(issued).toMatchObject({ producer: 'card-issuance', orderType: 1, userId: holder.userCode, uid: printed.uid, cardNo: expect.any(String) });
    const { cardNo } = issued;

    // campus-card opened the holder's account under the printed number, bound to the card.
    const opened = await eventually(async () => {
      const res = await holder.card();
      return res.body.entities?.length === 1 ? res : undefined;
    });
    expect(opened.body).toEqual({
      errno: 0, error: 'success', total: 0,
      entities: [{
        cardNo, cardId: printed.uid, bankNo: '', cardBalance: 0, transBalance: 0, expireDate: issued.expiryDate, lost: false, frozen: false,
        user: { code: holder.userCode, name: '张三', organize: { name: '网络信息中心' }, timeZone: 0, userType: 'faculty' },
      }],
    });
    expect((await campus.admin('GET', `/admin/cards/${cardNo}`)).body).toMatchObject({ errno: 0, entities: [expect.objectContaining({ cardNo, cardId: printed.uid, cardType: '800', physicalCards: [{ cardId: printed.uid, boundAt: expect.any(String), replacedAt: null }] })] });
    const [announced] = (await bus.stored(Events.AccountOpened)).filter((e) => e.cardNo === cardNo);
    expect(announced).toMatchObject({ producer: 'campus-card', userCode: holder.userCode, cardType: '800', cardId: printed.uid });

    // transit-validation whitelisted it: the validator accepts it online.
    expect(await becomes(() => validator.check(printed.uid), ACCEPTED)).toEqual(ACCEPTED);
    // A site gate whose worker holds the card lets it through.
    const gate = await siteGate(attendance, 'GATE', printed.uid);
    expect(await gate.tap()).toEqual(PASSES);

    // The holder reports the card lost through the card API.
    const changes = bus.collect(Events.CardStatusChanged);
    expect((await holder.setLost(cardNo, true)).body).toEqual({ errno: 0, error: 'success', total: 0 });
    const [lost] = await changes.waitFor(1);
    expect(lost).toEqual({
      eventId: expect.any(String), occurredAt: expect.any(String), producer: 'campus-card',
      cardNo, cardId: printed.uid, userCode: holder.userCode, lost: true, frozen: false, change: 'lost',
    });
    expect(await becomes(() => validator.check(printed.uid), REFUSED)).toEqual(REFUSED);
    expect(await becomes(() => gate.tap(), BLOCKED)).toEqual(BLOCKED);
    // The account number printed on the card is blocked at the gate too, in any case.
    expect(await gate.tap(cardNo.toLowerCase())).toEqual(BLOCKED);
    expect((await holder.card()).body.entities[0]).toMatchObject({ cardNo, lost: true });
    // Each consumer applied the event once.
    expect([await inboxCount(transit, lost.eventId), await inboxCount(attendance, lost.eventId)]).toEqual([1, 1]);

    // Found again: accepted everywhere again.
    expect((await holder.setLost(cardNo, false)).body).toEqual({ errno: 0, error: 'success', total: 0 });
    const [, found] = await changes.waitFor(2);
    expect(found).toMatchObject({ cardNo, cardId: printed.uid, lost: false, frozen: false, change: 'found' });
    expect(await becomes(() => validator.check(printed.uid), ACCEPTED)).toEqual(ACCEPTED);
    expect(await becomes(() => gate.tap(), PASSES)).toEqual(PASSES);
    expect((await holder.card()).body.entities[0]).toMatchObject({ cardNo, cardId: printed.uid, lost: false });
    expect(await changes.settle(300)).toHaveLength(2);
    changes.stop();
  }, 60_000);
});
