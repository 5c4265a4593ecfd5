import { Events } from '@onecard/contracts';
import { startTestApp, TestApp, TestBus } from '@onecard/testing';
import { runBatch } from '@onecard/apdu';
import { cardIssuanceApp } from '../src/app.definition';
import { CardIssuanceConfig } from '../src/config';
import { createMachine, createOrder, issuanceEnv, PROJECT_KEYS } from './support/fixtures';
import { blankCard, randomUid } from './support/kiosk-client';

describe('card-issuance: a kiosk prints and personalises a card', () => {
  let app: TestApp<CardIssuanceConfig> & { bus: TestBus };

  beforeAll(async () => {
    app = await startTestApp(cardIssuanceApp, { env: issuanceEnv() });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('runs the whole journey: machine, order, pickup, APDU batches, finish, card.issued once', async () => {
    const issued = app.bus.collect(Events.CardIssued);
    const kiosk = await createMachine(app, 'P1');
    const order = await createOrder(app, { orderType: 22 });

    const detail = await kiosk.machineDetail();
    expect(detail.status).toBe(200);
    expect(detail.body).toEqual({
      code: 0, msg: 'success', success: true, status: 0,
      data: { machineNo: kiosk.machineNo, projectId: 'P1', address: '1 Test Road', cardCount: '0', inkCount: '0', cardRopeCover: '0', status: 1 },
    });
    expect(Object.keys(detail.body.data)).toEqual(['machineNo', 'projectId', 'address', 'cardCount', 'inkCount', 'cardRopeCover', 'status']);

    const saved = await kiosk.saveMachine({ cardCount: '480', inkCount: '95', cardRopeCover: '300' });
    expect(saved.body).toEqual({ code: 0, msg: 'success', success: true, status: 0, data: '' });
    expect((await kiosk.machineDetail()).body.data).toMatchObject({ cardCount: '480', inkCount: '95', cardRopeCover: '300' });

    const user = await kiosk.userDetail(order.phoneNumber, order.pickupCode);
    expect(user.body).toEqual({
      code: 0, msg: 'success', success: true, status: 0,
      data: {
        userId: order.userId, orderType: 22, userName: '张三', idCard: '11010119900307451X', phoneNumber: order.phoneNumber,
        companyId: 'C001', companyName: '一卡通科技有限公司', cardFacePath: 'https://cdn.example.com/faces/1.png',
        cardBackPath: 'https://cdn.example.com/backs/1.png', orderId: order.orderId,
      },
    });
    // A kiosk that lost the answer asks again: same data.
    expect((await kiosk.userDetail(order.phoneNumber, order.pickupCode)).body).toEqual(user.body);

    const card = blankCard(randomUid(), PROJECT_KEYS.P1);
    const bodies = await kiosk.personalise(card, order.orderId, order.userId);
    expect(bodies[0].data).toEqual({ userId: order.userId, cApdus: expect.any(Array) });
    expect(bodies[0].data.cApdus[0]).toEqual({ index: 1, capdu: expect.stringMatching(/^[0-9A-F]+$/), sws: '9000' });
    expect(bodies.at(-1)).toEqual({ code: 0, msg: 'success', success: true, status: 0, data: { userId: order.userId, isFinished: true, cApdus: [] } });
    for (const b of bodies.slice(1, -1)) expect(Object.keys(b.data)).toEqual(['userId', 'isFinished', 'cApdus']);

    const [row] = await app.db.query(`SELECT card_no FROM card_order WHERE order_id = $1`, [order.orderId]);
    const held = card.readCardholder();
    expect(held).toEqual({ cardNo: row.card_no, name: '张三', idNumber: '11010119900307451X', company: '一卡通科技有限公司', issueDate: expect.stringMatching(/^\d{8}$/), expiryDate: expect.stringMatching(/^\d{8}$/) });
    expect(Number(held.expiryDate.slice(0, 4)) - Number(held.issueDate.slice(0, 4))).toBe(5);

    const finished = await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid });
    expect(finished.body).toEqual({ code: 0, msg: 'success', success: true, status: 0, data: '' });
    const [event] = await issued.waitFor(1);
    expect(event).toMatchObject({
      orderId: order.orderId, orderType: 22, userId: order.userId, userName: '张三', companyId: 'C001', companyName: '一卡通科技有限公司',
      projectId: 'P1', machineNo: kiosk.machineNo, uid: card.uid, cardNo: row.card_no, expiryDate: held.expiryDate, producer: 'card-issuance',
    });

    // A second finish is acknowledged and emits nothing.
    const again = await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid });
    expect(again.text).toBe(finished.text);
    expect(await issued.settle(600)).toHaveLength(1);
    const stored = await app.bus.stored(Events.CardIssued);
    expect(stored.filter((e) => e.orderId === order.orderId)).toHaveLength(1);

    const admin = await app.admin('GET', `/admin/orders/${order.orderId}`);
    expect(admin.body.data).toMatchObject({ status: 'FINISHED', uid: card.uid, finishedMachineNo: kiosk.machineNo, expiryDate: held.expiryDate });
    // A finished order's code is spent.
    const spent = await kiosk.userDetail(order.phoneNumber, order.pickupCode);
    expect(spent.body).toMatchObject({ code: 409, success: false, msg: expect.stringMatching(/^pickupCode: already used/) });
    issued.stop();
  });

  it('answers a repeated apduExeResult with the same bytes, and a repeated getOpenCardApdu with the same batch', async () => {
    const kiosk = await createMachine(app, 'P1');
    const order = await createOrder(app);
    await kiosk.userDetail(order.phoneNumber, order.pickupCode);
    const card = blankCard(randomUid(), PROJECT_KEYS.P1);
    const start = await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid: card.uid });
    const startAgain = await kiosk.getApdu({ orderId: order.orderId, userId: order.userId, uid: card.uid.toLowerCase() });
    expect(startAgain.text).toBe(start.text);

    const r = runBatch(card, start.body.data.cApdus);
    const body = { apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid: card.uid };
    const first = await kiosk.report(body);
    expect(first.body.code).toBe(0);
    const before = await app.db.query(`SELECT state, version FROM personalisation_session WHERE order_id = $1`, [order.orderId]);
    const second = await kiosk.report(body);
    expect(second.text).toBe(first.text);
    expect(await app.db.query(`SELECT state, version FROM personalisation_session WHERE order_id = $1`, [order.orderId])).toEqual(before);

    // The rest of the script still works after the repeat.
    let batch = first.body.data.cApdus;
    for (;;) {
      const rr = runBatch(card, batch);
      const res = await kiosk.report({ apduIndex: String(rr.lastIndex), rapdu: rr.rapdu, result: '0x00', userId: order.userId, uid: card.uid });
      expect(res.body.code).toBe(0);
      if (res.body.data.isFinished) {
        // The finishing report repeated: the same answer, not "already finished".
        const repeat = await kiosk.report({ apduIndex: String(rr.lastIndex), rapdu: rr.rapdu, result: '0x00', userId: order.userId, uid: card.uid });
        expect(repeat.text).toBe(res.text);
        break;
      }
      batch = res.body.data.cApdus;
    }
  });

  it('personalises SM4 cards when CARD_ALGORITHM=SM4', async () => {
    const sm4 = await startTestApp(cardIssuanceApp, { env: issuanceEnv({ CARD_ALGORITHM: 'SM4' }) });
    try {
      const kiosk = await createMachine(sm4, 'P2');
      const order = await createOrder(sm4, { projectId: 'P2', companyName: 'ACME' });
      await kiosk.userDetail(order.phoneNumber, order.pickupCode);
      const card = blankCard(randomUid(), PROJECT_KEYS.P2, 'SM4');
      await kiosk.personalise(card, order.orderId, order.userId);
      expect(card.readCardholder()).toMatchObject({ name: '张三', company: 'ACME' });
      expect((await kiosk.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid })).body.code).toBe(0);
    } finally {
      await sm4.close();
    }
  });

  it('emits machine.stock-low once per item until restocked', async () => {
    const low = app.bus.collect(Events.MachineStockLow);
    const kiosk = await createMachine(app, 'P1');
    const patched = await app.admin('PATCH', `/admin/machines/${kiosk.machineNo}`, { lowStockThresholds: { cardCount: 50, inkCount: 10 } });
    expect(patched.body.data.lowStockThresholds).toEqual({ cardCount: 50, inkCount: 10, cardRopeCover: 20 });

    await kiosk.saveMachine({ cardCount: '100', inkCount: '100', cardRopeCover: '100' });
    await kiosk.saveMachine({ cardCount: '49', inkCount: '100', cardRopeCover: '100' });
    await kiosk.saveMachine({ cardCount: '48', inkCount: '9', cardRopeCover: '100' });
    await kiosk.saveMachine({ cardCount: '10', inkCount: '8', cardRopeCover: '100' });
    await low.waitFor(2);
    expect((await low.settle(400)).map((e) => [e.item, e.remaining, e.threshold])).toEqual([['cardCount', 49, 50], ['inkCount', 9, 10]]);

    await kiosk.saveMachine({ cardCount: '500', inkCount: '8', cardRopeCover: '100' });
    await kiosk.saveMachine({ cardCount: '30', inkCount: '8', cardRopeCover: '100' });
    await low.waitFor(3);
    const events = await low.settle(400);
    expect(events).toHaveLength(3);
    expect(events[2]).toMatchObject({ machineNo: kiosk.machineNo, projectId: 'P1', item: 'cardCount', remaining: 30, threshold: 50, producer: 'card-issuance' });
    const admin = await app.admin('GET', `/admin/machines/${kiosk.machineNo}`);
    expect(admin.body.data).toMatchObject({ stock: { cardCount: 30, inkCount: 8, cardRopeCover: 100 }, lowStock: { cardCount: true, inkCount: true, cardRopeCover: false } });
    low.stop();
  });
});
