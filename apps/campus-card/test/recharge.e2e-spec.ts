import { createHmac } from 'node:crypto';
import { startTestApp, TestApp } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import { RechargeExpiry } from '../src/recharge/recharge-expiry';
import {
  balanceAndLedger,
  call,
  campusEnv,
  createClient,
  createUser,
  failure,
  getWithFormBody,
  notify,
  openCard,
  PAYMENT_SECRET,
  paymentNotice,
  SUCCESS,
  TestClient,
  TestUser,
  userToken,
  wireNow,
} from './support/campus';

describe('campus-card: recharge orders and payment notifications', () => {
  let app: TestApp;
  let client: TestClient;
  let manager: string;

  beforeAll(async () => {
    app = await startTestApp(campusCardApp, { env: campusEnv({ PAYMENT_POST_URL: 'https://pay.example.edu.cn/payment/pay/pay.action', PAYMENT_SUBSYSID: '111', PAYMENT_SYSID: '000' }) });
    client = await createClient(app);
    manager = await userToken(app, client, await createUser(app), ['manage_card']);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function cardholder(): Promise<{ user: TestUser; token: string; cardNo: string }> {
    const user = await createUser(app);
    const cardNo = await openCard(app, manager, user.userCode, { free: true });
    return { user, token: await userToken(app, client, user, ['write_card_info']), cardNo };
  }

  async function submit(token: string, cardNo: string, amount: number | string = '10.0') {
    const res = await call(app, 'POST', '/v1/me/card/recharge', token, { cardNo, amount });
    expect(res.body.errno).toBe(0);
    return res.body.entities[0];
  }

  it('提交充值请求: a PAY_PENDING order with postUrl and postData signed for the payment system', async () => {
    const { token, cardNo } = await cardholder();
    const res = await call(app, 'POST', '/v1/me/card/recharge', token, { cardNo, amount: '10.0' });
    expect(res.body).toEqual({
      errno: 0,
      error: 'success',
      total: 1,
      entities: [
        {
          id: expect.any(Number),
          cardNo,
          applyAmount: 10,
          applyTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
          expireTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
          serialNo: expect.stringMatching(/^\d{18}$/),
          status: { code: 'PAY_PENDING', name: '待支付' },
          postUrl: 'https://pay.example.edu.cn/payment/pay/pay.action',
          postData: { data: expect.any(String), sign: expect.stringMatching(/^[0-9a-f]{64}$/), subsysid: '111', sysid: '000' },
        },
      ],
    });
    const order = res.body.entities[0];
    expect(Object.keys(order)).toEqual(['id', 'cardNo', 'applyAmount', 'applyTime', 'expireTime', 'serialNo', 'status', 'postUrl', 'postData']);
    const bill = new URLSearchParams(`d=${order.postData.data}`).get('d') as string;
    expect(bill).toContain(`<billno>${order.id}</billno><orderinfono>${cardNo}</orderinfono>`);
    expect(bill).toContain('<amt>10.00</amt>');
    expect(order.postData.sign).toBe(createHmac('sha256', PAYMENT_SECRET).update(bill).digest('hex'));
    // 30 minutes to pay.
    const minutes = (Date.parse(order.expireTime.replace(' ', 'T') + '+08:00') - Date.parse(order.applyTime.replace(' ', 'T') + '+08:00')) / 60000;
    expect(minutes).toBe(30);
    // 查询充值请求 by id shows the same order, also asked as the document's example does (a GET with a form body).
    expect((await call(app, 'GET', '/v1/me/card/recharge', token, { id: order.id, cardNo })).body.entities).toEqual([order]);
    const asDocumented = await getWithFormBody(app, `/v1/me/card/recharge?access_token=${token}`, `id=${order.id}&cardNo=${cardNo}`);
    expect(asDocumented.body).toEqual({ errno: 0, error: 'success', total: 1, entities: [order] });
  });

  it('credits a verified payment once; the order shows RECHARGED with rechargeAmount and payTime', async () => {
    const { token, cardNo } = await cardholder();
    const order = await submit(token, cardNo, 25);
    const payTime = wireNow();
    const notice = paymentNotice({ id: order.id, amount: '25.00', payTime, status: 'SUCCESS' });
    expect((await notify(app, notice)).body).toEqual(SUCCESS);
    expect((await notify(app, notice)).body).toEqual(SUCCESS);
    const shown = (await call(app, 'GET', '/v1/me/card/recharge', token, { id: order.id, cardNo })).body.entities[0];
    expect(shown).toEqual({
      id: order.id,
      cardNo,
      applyAmount: 25,
      applyTime: order.applyTime,
      expireTime: order.expireTime,
      rechargeAmount: 25,
      payTime,
      serialNo: order.serialNo,
      status: { code: 'RECHARGED', name: '充值完成' },
    });
    expect(await balanceAndLedger(app, cardNo)).toEqual({ balance: 2500, ledger: 2500, entries: 1 });
    const [entry] = await app.db.query(`SELECT kind, reference, description FROM ledger_entry WHERE card_no = $1`, [cardNo]);
    expect(entry).toEqual({ kind: 'RECHARGE', reference: String(order.id), description: '在线充值' });
    // A settled order takes no other outcome.
    failure(await notify(app, paymentNotice({ id: order.id, amount: '25.00', payTime, status: 'FAILED' })), 409, `id: order ${order.id} is already RECHARGED`);
    failure(await notify(app, paymentNotice({ id: order.id, amount: '20.00', payTime, status: 'SUCCESS' })), 409, `id: order ${order.id} is already RECHARGED`);
  });

  it('credits once when the same notification arrives five times at once', async () => {
    const { token, cardNo } = await cardholder();
    const order = await submit(token, cardNo, 7);
    const notice = paymentNotice({ id: order.id, amount: '7.00', payTime: wireNow(), status: 'SUCCESS' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => notify(app, notice)));
    expect(answers.map((a) => a.body)).toEqual(Array(5).fill(SUCCESS));
    expect(await balanceAndLedger(app, cardNo)).toEqual({ balance: 700, ledger: 700, entries: 1 });
  });

  it('refuses a forged or malformed notification, changing nothing', async () => {
    const { token, cardNo } = await cardholder();
    const order = await submit(token, cardNo, 10);
    const good = paymentNotice({ id: order.id, amount: '10.00', payTime: wireNow(), status: 'SUCCESS' });
    failure(await notify(app, { ...good, amount: '100.00' }), 403, 'sign: does not match id|amount|payTime|status');
    failure(await notify(app, paymentNotice({ id: order.id, amount: '10.00', payTime: good.payTime, status: 'SUCCESS' }, 'another-secret-0123456789abcdefghij')), 403, 'sign: does not match id|amount|payTime|status');
    failure(await notify(app, { ...good, sign: good.sign.toUpperCase() }), 400, 'sign must be lowercase hex HMAC-SHA256 (64 digits)');
    failure(await notify(app, { ...good, sign: undefined as unknown as string }), 400, 'sign is required');
    failure(await notify(app, paymentNotice({ id: order.id, amount: '10.001', payTime: good.payTime, status: 'SUCCESS' })), 400, 'amount must be an amount in yuan with at most two decimals');
    failure(await notify(app, paymentNotice({ id: order.id, amount: '10.00', payTime: '2024-02-30 10:00:00', status: 'SUCCESS' })), 400, 'payTime must be a time as yyyy-MM-dd HH:mm:ss');
    failure(await notify(app, paymentNotice({ id: order.id, amount: '10.00', payTime: good.payTime, status: 'PAID' })), 400, 'status must be SUCCESS or FAILED');
    failure(await notify(app, paymentNotice({ id: '42', amount: '10.00', payTime: good.payTime, status: 'SUCCESS' })), 404, 'id: no recharge order 42');
    expect(await balanceAndLedger(app, cardNo)).toEqual({ balance: 0, ledger: 0, entries: 0 });
    expect((await call(app, 'GET', '/v1/me/card/recharge', token, { id: order.id, cardNo })).body.entities[0].status.code).toBe('PAY_PENDING');
  });

  it('records failures with failedReason: payment failed, amount differs, paid after expireTime', async () => {
    const { token, cardNo } = await cardholder();
    const failed = await submit(token, cardNo, 10);
    expect((await notify(app, paymentNotice({ id: failed.id, amount: '10.00', payTime: wireNow(), status: 'FAILED' }))).body).toEqual(SUCCESS);
    expect((await call(app, 'GET', '/v1/me/card/recharge', token, { id: failed.id, cardNo })).body.entities[0]).toMatchObject({
      status: { code: 'PAY_FAILED', name: '支付失败' },
      failedReason: '支付系统报告支付失败',
    });
    expect((await call(app, 'GET', '/v1/me/card/recharge', token, { id: failed.id, cardNo })).body.entities[0]).not.toHaveProperty('postUrl');

    const short = await submit(token, cardNo, 10);
    const underpaid = paymentNotice({ id: short.id, amount: '9.00', payTime: wireNow(), status: 'SUCCESS' });
    failure(await notify(app, underpaid), 422, `amount: paid 9.00 yuan, order ${short.id} applied for 10.00; it is RECHARGE_FAILED`);
    failure(await notify(app, underpaid), 422, `amount: paid 9.00 yuan, order ${short.id} applied for 10.00; it is RECHARGE_FAILED`);

    const late = await submit(token, cardNo, 10);
    const paidLate = paymentNotice({ id: late.id, amount: '10.00', payTime: wireNow(31 * 60_000), status: 'SUCCESS' });
    failure(await notify(app, paidLate), 422, `payTime: after the order's expireTime; order ${late.id} is RECHARGE_FAILED`);

    // 查询充值请求 without id: the paid orders not yet recharged.
    const pending = await call(app, 'GET', '/v1/me/card/recharge', token, { cardNo });
    expect(pending.body.total).toBe(2);
    expect(pending.body.entities.map((o: { id: number; status: { code: string }; failedReason: string; rechargeAmount: number }) => [o.id, o.status.code, o.failedReason, o.rechargeAmount])).toEqual([
      [late.id, 'RECHARGE_FAILED', '支付完成时间晚于支付有效期', 10],
      [short.id, 'RECHARGE_FAILED', '支付金额 9.00 元与申请金额 10.00 元不符', 9],
    ]);
    expect(await balanceAndLedger(app, cardNo)).toEqual({ balance: 0, ledger: 0, entries: 0 });
    // The failure reported again is answered as the first time.
    expect((await notify(app, paymentNotice({ id: failed.id, amount: '10.00', payTime: wireNow(), status: 'FAILED' }))).body).toEqual(SUCCESS);
  });

  it('expires unpaid orders (PAY_FAILED), yet credits a payment made before expireTime that is reported late', async () => {
    const { token, cardNo } = await cardholder();
    const order = await submit(token, cardNo, 3);
    const paidAt = wireNow();
    await app.db.query(`UPDATE recharge_order SET expire_time = now() - interval '1 second' WHERE id = $1`, [order.id]);
    expect(await app.get(RechargeExpiry).sweep()).toBeGreaterThanOrEqual(1);
    const expired = (await call(app, 'GET', '/v1/me/card/recharge', token, { id: order.id, cardNo })).body.entities[0];
    expect(expired).toMatchObject({ status: { code: 'PAY_FAILED', name: '支付失败' }, failedReason: '超过支付有效期未支付' });
    expect(expired).not.toHaveProperty('postData');
    // Paid a moment before the (moved) expiry, reported after the sweep.
    await app.db.query(`UPDATE recharge_order SET expire_time = now() + interval '1 minute' WHERE id = $1`, [order.id]);
    expect((await notify(app, paymentNotice({ id: order.id, amount: '3.00', payTime: paidAt, status: 'SUCCESS' }))).body).toEqual(SUCCESS);
    expect(await balanceAndLedger(app, cardNo)).toEqual({ balance: 300, ledger: 300, entries: 1 });
  });

  it('refuses bad submissions and other people’s cards, storing nothing', async () => {
    const { token, cardNo } = await cardholder();
    const other = await cardholder();
    const [{ n: before }] = await app.db.query(`SELECT count(*)::int AS n FROM recharge_order`);
    failure(await call(app, 'POST', '/v1/me/card/recharge', token, { amount: 10 }), 400, 'cardNo is required');
    failure(await call(app, 'POST', '/v1/me/card/recharge', token, { cardNo }), 400, /^amount must be a whole number of yuan/);
    failure(await call(app, 'POST', '/v1/me/card/recharge', token, { cardNo, amount: 10.5 }), 400, /^amount must be a whole number of yuan/);
    failure(await call(app, 'POST', '/v1/me/card/recharge', token, { cardNo, amount: 0 }), 400, /^amount must be a whole number of yuan/);
    failure(await call(app, 'POST', '/v1/me/card/recharge', token, { cardNo, amount: 5001 }), 400, 'amount: at most 5000 yuan per recharge');
    failure(await call(app, 'POST', '/v1/me/card/recharge', token, { cardNo: other.cardNo, amount: 10 }), 404, `cardNo: no card ${other.cardNo}`);
    failure(await call(app, 'GET', '/v1/me/card/recharge', token, { cardNo: other.cardNo }), 404, `cardNo: no card ${other.cardNo}`);
    failure(await call(app, 'GET', '/v1/me/card/recharge', token, { cardNo, id: 'abc' }), 400, 'id must be an integer');
    failure(await call(app, 'GET', '/v1/me/card/recharge', token, { cardNo, id: 123 }), 404, `id: no recharge order 123 of card ${cardNo}`);
    await app.db.query(`UPDATE card_account SET frozen = true WHERE card_no = $1`, [cardNo]);
    failure(await call(app, 'POST', '/v1/me/card/recharge', token, { cardNo, amount: 10 }), 409, `cardNo: card ${cardNo} is frozen`);
    const [{ n: after }] = await app.db.query(`SELECT count(*)::int AS n FROM recharge_order`);
    expect(after).toBe(before);
  });
});
