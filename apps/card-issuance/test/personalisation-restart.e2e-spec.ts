import { ApduStep, blankCardFor, runBatch, runPersonalisation, VirtualCpuCard } from '@onecard/apdu';
import { Events } from '@onecard/contracts';
import { EventCollector, eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { createMachine, createOrder, CreatedOrder, issuanceEnv, PROJECT_KEYS } from './support/fixtures';
import { blankCard, KioskClient, randomUid } from './support/kiosk-client';

/**
 * A kiosk that loses power mid-card, or loses an answer, starts again with getOpenCardApdu and
 * the same card still in its printer. Real HTTP, Postgres and NATS; the card is the virtual CPU card.
 */
describe('card-issuance: a kiosk restarts the personalisation of the card in its printer', () => {
  let app: TestApp & { bus: TestBus };
  let kiosk: KioskClient;
  let issued: EventCollector<typeof Events.CardIssued>;

  beforeAll(async () => {
    app = await startTestApp(cardIssuanceApp, { env: issuanceEnv() });
    kiosk = await createMachine(app, 'P1');
    issued = app.bus.collect(Events.CardIssued);
  });
  afterAll(async () => {
    issued?.stop();
    await app?.close();
  });

  async function redeemedOrder(): Promise<CreatedOrder> {
    const order = await createOrder(app);
    expect((await kiosk.userDetail(order.phoneNumber, order.pickupCode)).body.code).toBe(0);
    return order;
  }

  /**
   * Runs batches 1..n on the card, reporting each but the last; of batch n only the first `commands`
   * reach the card (all when undefined), and its report goes out only if `reported`. Then the power goes.
   */
  async function runUntilPowerLoss(card: VirtualCpuCard, order: CreatedOrder, n: number, commands: number | undefined, reported: boolean): Promise<void> {
    const start = await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid: card.uid });
    expect(start.body.code).toBe(0);
    let batch: ApduStep[] = start.body.data.cApdus;
    for (let b = 1; ; b++) {
      const r = runBatch(card, b === n && commands !== undefined ? batch.slice(0, commands) : batch);
      if (b === n && !reported) break;
      const res = await kiosk.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid: card.uid });
      expect(res.body).toMatchObject({ code: 0, data: { isFinished: false } });
      if (b === n) break;
      batch = res.body.data.cApdus;
    }
    card.reset();
  }

  /** The card as a blank one is left by the same personalisation run without interruption. */
  async function freshlyPersonalised(order: CreatedOrder, uid: string) {
    const [row] = await app.db.query(`SELECT card_no, issue_date, expiry_date FROM card_order WHERE order_id = $1`, [order.orderId]);
    const input = {
      uid, algorithm: '3DES' as const, projectMasterKey: Buffer.from(PROJECT_KEYS.P1, 'hex'),
      cardholder: { cardNo: row.card_no, name: '张三', idNumber: '11010119900307451X', company: '一卡通科技有限公司', issueDate: row.issue_date, expiryDate: row.expiry_date },
    };
    const reference = blankCardFor(input);
    expect(runPersonalisation(reference, input).outcome.kind).toBe('finished');
    return { snapshot: reference.snapshot(), cardholder: input.cardholder };
  }

  async function expectIssuedOnce(order: CreatedOrder, uid: string): Promise<void> {
    const mine = () => issued.events.filter((e) => e.orderId === order.orderId);
    await eventually(() => mine().length > 0);
    await issued.settle(300);
    expect(mine()).toEqual([expect.objectContaining({ orderId: order.orderId, uid, machineNo: kiosk.machineNo, producer: 'card-issuance' })]);
    expect((await app.bus.stored(Events.CardIssued)).filter((e) => e.orderId === order.orderId)).toHaveLength(1);
  }

  // [what happened, the batch the power went in, commands of it that reached the card, whether its report went out]
  it.each<[string, number, number | undefined, boolean]>([
    ['after batch 1 ran, before its report', 1, undefined, false],
    ['after batch 2 (the application created) ran, before its report', 2, undefined, false],
    ['inside batch 2, right after CREATE DF', 2, 3, false],
    ['after batch 3 (key 00 written) was reported, its answer lost', 3, undefined, true],
    ['inside batch 4, after its WRITE KEY', 4, 1, false],
    ['after batch 6 (all keys, cardholder EF selected) ran', 6, undefined, false],
    ['after the last batch ran, before its report', 7, undefined, false],
  ])('power lost %s: the same card restarted ends personalised, finish issues it once', async (_what, n, commands, reported) => {
    const order = await redeemedOrder();
    const card = blankCard(randomUid(), PROJECT_KEYS.P1);
    await runUntilPowerLoss(card, order, n, commands, reported);

    const bodies = await kiosk.personalise(card, order.orderId, order.userId);
    expect(bodies.at(-1)).toEqual({ code: 0, msg: 'success', success: true, status: 0, data: { userId: order.userId, isFinished: true, cApdus: [] } });
    // Once batch 2 reached the card it holds the application: the restart erased it before creating it again.
    const erased = bodies.some((b) => b.data.cApdus[0]?.capdu === '800E000000');
    expect(erased).toBe(n >= 2);

    const done = await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid });
    expect(done.body).toEqual({ code: 0, msg: 'success', success: true, status: 0, data: '' });
    await expectIssuedOnce(order, card.uid);

    const fresh = await freshlyPersonalised(order, card.uid);
    expect(card.snapshot()).toEqual(fresh.snapshot);
    expect(card.readCardholder()).toEqual(fresh.cardholder);
    const [row] = await app.db.query(`SELECT status, uid, finished_machine_no FROM card_order WHERE order_id = $1`, [order.orderId]);
    expect(row).toEqual({ status: 'FINISHED', uid: card.uid, finished_machine_no: kiosk.machineNo });
    const sessions = await app.db.query(`SELECT status, uid FROM personalisation_session WHERE order_id = $1 ORDER BY id`, [order.orderId]);
    // Batch 1 that ran but was never reported is answered again as it was, in the same session.
    const expected = n === 1 && !reported ? ['FINISHED'] : ['ABANDONED', 'FINISHED'];
    expect(sessions).toEqual(expected.map((status) => ({ status, uid: card.uid })));
    // The operator's view of the order lists the same sessions, newest first, with kiosk and reason.
    const view = await app.admin('GET', `/admin/orders/${order.orderId}`);
    expect(view.body.data.sessions).toEqual(
      [...expected].reverse().map((status) => expect.objectContaining({ status, uid: card.uid, machineNo: kiosk.machineNo, startedAt: expect.stringMatching(/^\d{4}-/) })),
    );
    if (expected.length === 2) expect(view.body.data.sessions[1].failure).toEqual(expect.any(String));
  });

  it('answers a card that reached isFinished, whose answer the kiosk lost, with that answer again; finish then issues it once', async () => {
    const order = await redeemedOrder();
    const card = blankCard(randomUid(), PROJECT_KEYS.P1);
    const bodies = await kiosk.personalise(card, order.orderId, order.userId);
    const finished = { code: 0, msg: 'success', success: true, status: 0, data: { userId: order.userId, isFinished: true, cApdus: [] } };
    expect(bodies.at(-1)).toEqual(finished);
    const sessionsBefore = await app.db.query(`SELECT id, status, version, last_answer FROM personalisation_session WHERE order_id = $1`, [order.orderId]);
    const onCard = card.snapshot();

    // The answer never arrived; the kiosk asks again for the card in its printer, twice.
    const again = await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid: card.uid });
    expect(again.body).toEqual(finished);
    expect(Object.keys(again.body.data)).toEqual(['userId', 'isFinished', 'cApdus']);
    expect(again.text).toBe('{"code":0,"msg":"success","success":true,"status":0,"data":' + sessionsBefore[0].last_answer.replace(/^\{"ok":true,"data":/, ''));
    const twice = await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid: card.uid.toLowerCase() });
    expect(twice.text).toBe(again.text);
    // No new session and nothing to run: the card is as it was.
    expect(await app.db.query(`SELECT id, status, version, last_answer FROM personalisation_session WHERE order_id = $1`, [order.orderId])).toEqual(sessionsBefore);
    expect(sessionsBefore).toEqual([expect.objectContaining({ status: 'FINISHED' })]);
    expect(card.snapshot()).toEqual(onCard);

    const done = await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid });
    expect(done.body).toEqual({ code: 0, msg: 'success', success: true, status: 0, data: '' });
    await expectIssuedOnce(order, card.uid);
    const [row] = await app.db.query(`SELECT status, uid FROM card_order WHERE order_id = $1`, [order.orderId]);
    expect(row).toEqual({ status: 'FINISHED', uid: card.uid });
    // Once finished, the order is done: asking again is the usual 409.
    const late = await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid: card.uid });
    expect(late.body).toMatchObject({ code: 409, success: false, msg: expect.stringMatching(/^orderId: the order is already finished/) });
  });

  it('gives the finished answer only for the card that finished: another card for the same order gets a session of its own', async () => {
    const order = await redeemedOrder();
    const card = blankCard(randomUid(), PROJECT_KEYS.P1);
    await kiosk.personalise(card, order.orderId, order.userId);
    const other = await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid: randomUid() });
    expect(other.body).toMatchObject({ code: 0, data: { userId: order.userId, cApdus: [{ index: 1, capdu: '00A40000023F00' }, { index: 2, capdu: '0084000008' }] } });
    expect(Object.keys(other.body.data)).toEqual(['userId', 'cApdus']);
  });
});
