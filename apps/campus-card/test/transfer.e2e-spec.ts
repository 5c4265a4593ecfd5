import { startTestApp, TestApp } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import { balanceAndLedger, call, campusEnv, createClient, createUser, failure, openCard, SUCCESS, TestClient, TestUser, userToken } from './support/campus';

describe('campus-card: balance transfer orders (校园卡余额转结)', () => {
  let app: TestApp;
  let jwb: TestClient;
  let manager: string;

  beforeAll(async () => {
    app = await startTestApp(campusCardApp, { env: campusEnv() });
    jwb = await createClient(app, { allowTransfer: true });
    manager = await userToken(app, await createClient(app), await createUser(app), ['manage_card']);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function cardholder(yuan: number): Promise<{ user: TestUser; token: string; cardNo: string }> {
    const user = await createUser(app);
    const cardNo = await openCard(app, manager, user.userCode, { free: true, openAmount: yuan });
    return { user, token: await userToken(app, jwb, user, ['write_card_info']), cardNo };
  }

  it('holds the amount on submit and answers every open order of the card', async () => {
    const { user, token, cardNo } = await cardholder(50);
    const first = await call(app, 'POST', '/v1/me/card/transfer', token, { cardNo, queryPassword: user.queryPassword, amount: 12.5 });
    expect(first.body).toEqual({
      errno: 0,
      error: 'success',
      total: 1,
      entities: [{ id: expect.any(Number), cardNo, amount: 12.5, status: { code: 'RECHARGE_PENDING', name: '待充值' }, payTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) }],
    });
    const second = await call(app, 'POST', '/v1/me/card/transfer', token, { cardNo, queryPassword: user.queryPassword, amount: '7.5' });
    expect(second.body.total).toBe(2);
    expect(await balanceAndLedger(app, cardNo)).toEqual({ balance: 3000, ledger: 3000, entries: 3 });
    expect((await call(app, 'GET', '/v1/me/card/transfer', token, { cardNo })).body).toEqual(second.body);
    const [entry] = await app.db.query(`SELECT kind, amount_fen, description, merchant FROM ledger_entry WHERE card_no = $1 AND kind = 'TRANSFER_OUT' ORDER BY id LIMIT 1`, [cardNo]);
    expect(entry).toEqual({ kind: 'TRANSFER_OUT', amount_fen: '-1250', description: '余额转结', merchant: '思源码钱包' });
  });

  it('moves through the wallet’s states; a refund releases the funds, once', async () => {
    const { user, token, cardNo } = await cardholder(20);
    const [a, b] = await Promise.all([10, 5].map(async (amount) => (await call(app, 'POST', '/v1/me/card/transfer', token, { cardNo, queryPassword: user.queryPassword, amount })).body));
    const ids = [...a.entities, ...b.entities].map((o: { id: number }) => o.id);
    const [idA, idB] = [Math.min(...ids), Math.max(...ids)];
    expect((await app.admin('POST', `/admin/transfers/${idA}/recharging`)).body.entities[0].status).toEqual({ code: 'RECHARGING', name: '充值处理中' });
    const done = await app.admin('POST', `/admin/transfers/${idA}/recharged`);
    expect(done.body.entities[0]).toMatchObject({ status: { code: 'RECHARGED', name: '已完成' }, rechargeTime: expect.any(String) });
    const refunded = await app.admin('POST', `/admin/transfers/${idB}/refund`);
    expect(refunded.body.entities[0]).toMatchObject({ status: { code: 'REFUNDED', name: '已取消' }, refundTime: expect.any(String) });
    failure(await app.admin('POST', `/admin/transfers/${idB}/refund`), 409, `id: transfer order ${idB} is REFUNDED`);
    failure(await app.admin('POST', `/admin/transfers/${idA}/refund`), 409, `id: transfer order ${idA} is RECHARGED`);
    failure(await app.admin('POST', `/admin/transfers/99/refund`), 404, 'id: no transfer order 99');
    expect(await balanceAndLedger(app, cardNo)).toEqual({ balance: 1000, ledger: 1000, entries: 4 });
    // Nothing open any more.
    expect((await call(app, 'GET', '/v1/me/card/transfer', token, { cardNo })).body).toEqual({ ...SUCCESS, entities: [] });
    expect((await app.admin('GET', `/admin/transfers?cardNo=${cardNo}&status=REFUNDED`)).body).toEqual({
      ...SUCCESS,
      entities: [{ total: 1, limit: 100, offset: 0, items: [refunded.body.entities[0]] }],
    });
    const all = (await app.admin('GET', `/admin/transfers?cardNo=${cardNo}&limit=1&offset=1`)).body.entities[0];
    expect(all).toEqual({ total: 2, limit: 1, offset: 1, items: [done.body.entities[0]] });
  });

  it('refuses a short balance, a wrong query password, a lost card and other clients, holding nothing', async () => {
    const { user, token, cardNo } = await cardholder(10);
    const submit = (params: Record<string, string | number>, t = token) => call(app, 'POST', '/v1/me/card/transfer', t, { cardNo, queryPassword: user.queryPassword, ...params });
    failure(await submit({ amount: 10.01 }), 402, 'amount: balance 10.00 yuan is less than 10.01 yuan');
    failure(await submit({ amount: 1, queryPassword: '999999' }), 422, /^queryPassword: wrong query password/);
    failure(await submit({ amount: 0 }), 400, /^amount must be an amount in yuan/);
    failure(await submit({ amount: '1.234' }), 400, /^amount must be an amount in yuan/);
    failure(await call(app, 'POST', '/v1/me/card/transfer', token, { cardNo, amount: 1 }), 400, 'queryPassword is required');
    const other = await cardholder(10);
    failure(await submit({ amount: 1, cardNo: other.cardNo }), 404, `cardNo: no card ${other.cardNo}`);
    const elsewhere = await userToken(app, await createClient(app), user, ['write_card_info']);
    failure(await submit({ amount: 1 }, elsewhere), 403, 'access_token: this call is open only to clients permitted to transfer balances');
    await app.db.query(`UPDATE card_account SET lost = true WHERE card_no = $1`, [cardNo]);
    failure(await submit({ amount: 1 }), 409, `cardNo: card ${cardNo} is reported lost`);
    expect(await balanceAndLedger(app, cardNo)).toEqual({ balance: 1000, ledger: 1000, entries: 1 });
    const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM transfer_order WHERE card_no = $1`, [cardNo]);
    expect(n).toBe(0);
  });
});
