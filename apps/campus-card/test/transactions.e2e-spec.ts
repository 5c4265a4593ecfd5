import { startTestApp, TestApp } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import { call, campusEnv, createClient, createUser, failure, openCard, SUCCESS, TestClient, userToken } from './support/campus';

/** Ledger rows written straight in, for times a test needs (the ledger's own rules are tested through the API). */
async function seedEntries(app: TestApp, cardNo: string, entries: Array<{ at: number; bookedAt?: number; fen: number; merchant?: string }>): Promise<void> {
  let balance = 0;
  for (const e of entries) {
    balance += e.fen;
    await app.db.query(
      `INSERT INTO ledger_entry (card_no, kind, amount_fen, balance_after_fen, occurred_at, booked_at, system, merchant_no, merchant, description)
       VALUES ($1, $2, $3, $4, to_timestamp($5::float8 / 1000), to_timestamp($6::float8 / 1000), '新闵行第二食堂', 'M001', $7, $8)`,
      [cardNo, e.fen > 0 ? 'RECHARGE' : 'POS', e.fen, balance, e.at, e.bookedAt ?? e.at, e.merchant ?? '大众餐厅', e.fen > 0 ? '在线充值' : '持卡人消费'],
    );
  }
  await app.db.query(`UPDATE card_account SET balance_fen = $2 WHERE card_no = $1`, [cardNo, balance]);
}

describe('campus-card: transactions and POS purchases', () => {
  let app: TestApp;
  let client: TestClient;
  let manager: string;

  beforeAll(async () => {
    app = await startTestApp(campusCardApp, { env: campusEnv() });
    client = await createClient(app);
    manager = await userToken(app, client, await createUser(app), ['manage_card']);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('books a POS purchase (amount in yuan) and shows it as the document does', async () => {
    const user = await createUser(app);
    const cardNo = await openCard(app, manager, user.userCode, { openAmount: '96.72', free: true });
    const before = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    const purchase = await app.admin('POST', '/admin/transactions', { cardNo, merchantNo: 'M001', merchant: '大众餐厅', system: '新闵行第二食堂', amount: 10.66 });
    expect(purchase.body).toEqual({ ...SUCCESS, entities: [{ id: expect.any(Number), cardNo, dateTime: expect.any(Number), amount: -10.66, cardBalance: 86.06 }] });
    const token = await userToken(app, client, user, ['card_transactions']);
    const res = await call(app, 'GET', '/v1/me/card/transactions', token, { cardNo, beginDate: before });
    expect(res.body).toEqual({
      errno: 0,
      error: 'success',
      total: 1,
      entities: [{ dateTime: purchase.body.entities[0].dateTime, system: '新闵行第二食堂', merchantNo: 'M001', merchant: '大众餐厅', description: '持卡人消费', amount: -10.66, cardBalance: 86.06 }],
    });
    const [entry] = await app.db.query(`SELECT amount_fen, balance_after_fen FROM ledger_entry WHERE card_no = $1 AND kind = 'POS'`, [cardNo]);
    expect(entry).toEqual({ amount_fen: '-1066', balance_after_fen: '8606' });
  });

  it('refuses a purchase beyond the balance or on a lost card, booking nothing', async () => {
    const user = await createUser(app);
    const cardNo = await openCard(app, manager, user.userCode, { openAmount: 5, free: true });
    const buy = (amount: number) => app.admin('POST', '/admin/transactions', { cardNo, merchantNo: 'M1', merchant: '超市', system: '教育超市', amount });
    failure(await buy(5.01), 402, 'amount: balance 5.00 yuan is less than 5.01 yuan');
    expect((await buy(5)).body.entities[0].cardBalance).toBe(0);
    failure(await buy(0.01), 402, 'amount: balance 0.00 yuan is less than 0.01 yuan');
    await app.db.query(`UPDATE card_account SET lost = true, balance_fen = 100 WHERE card_no = $1`, [cardNo]);
    failure(await buy(0.5), 409, `cardNo: card ${cardNo} is reported lost`);
    failure(await app.admin('POST', '/admin/transactions', { cardNo: '999999', merchantNo: 'M1', merchant: '超市', system: '教育超市', amount: 1 }), 404, 'cardNo: no card 999999');
    failure(await app.admin('POST', '/admin/transactions', { cardNo, merchantNo: 'M1', merchant: '超市', system: '教育超市', amount: 0 }), 400, /^amount must be an amount in yuan/);
    failure(await app.admin('POST', '/admin/transactions', { cardNo, merchantNo: 'M1', merchant: '超市', system: '教育超市', amount: 'one' }), 400, /^amount must be an amount in yuan/);
    failure(await app.admin('POST', '/admin/transactions', { cardNo, merchantNo: 'M1', merchant: '超市', amount: 1 }), 400, 'system is required');
    const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE card_no = $1 AND kind = 'POS'`, [cardNo]);
    expect(n).toBe(1);
  });

  describe('获取交易记录信息', () => {
    const day = Date.UTC(2024, 8, 1);
    let user: Awaited<ReturnType<typeof createUser>>;
    let cardNo: string;
    let token: string;

    beforeAll(async () => {
      user = await createUser(app);
      cardNo = await openCard(app, manager, user.userCode, { free: true });
      // 25 entries an hour apart; booked (入账) the next day for the last five, in reverse order.
      await seedEntries(
        app,
        cardNo,
        Array.from({ length: 25 }, (_, i) => ({ at: day + i * 3600_000, bookedAt: i >= 20 ? day + 86400_000 + (25 - i) * 60_000 : undefined, fen: i === 0 ? 100000 : -(100 + i), merchant: `m${i}` })),
      );
      token = await userToken(app, client, user, ['card_transactions']);
    });

    it('pages newest first with total over the range; start must be a multiple of limit', async () => {
      const page = await call(app, 'GET', '/v1/me/card/transactions', token, { cardNo, start: 10, limit: 5 });
      expect(page.body.total).toBe(25);
      expect(page.body.entities.map((e: { merchant: string }) => e.merchant)).toEqual(['m14', 'm13', 'm12', 'm11', 'm10']);
      const ranged = await call(app, 'GET', '/v1/me/card/transactions', token, { cardNo, beginDate: day + 3 * 3600_000, endDate: day + 6 * 3600_000, limit: 2 });
      expect(ranged.body.total).toBe(4);
      expect(ranged.body.entities.map((e: { dateTime: number }) => e.dateTime)).toEqual([day + 6 * 3600_000, day + 5 * 3600_000]);
      // Without paging: everything in range (the document's example), beginDate required.
      const all = await call(app, 'GET', '/v1/me/card/transactions', token, { cardNo, beginDate: day + 22 * 3600_000 });
      expect(all.body.entities.map((e: { merchant: string }) => e.merchant)).toEqual(['m24', 'm23', 'm22']);
      expect(all.body.entities[0]).toEqual({ dateTime: day + 24 * 3600_000, system: '新闵行第二食堂', merchantNo: 'M001', merchant: 'm24', description: '持卡人消费', amount: -1.24, cardBalance: expect.any(Number) });
    });

    it('orders by 入账时间 with dateTimeAccount, returning dateTimAccount (the document’s spelling)', async () => {
      const res = await call(app, 'GET', '/v1/me/card/transactions', token, { cardNo, orderBy: 'dateTimeAccount', beginDate: day + 86400_000 });
      expect(res.body.total).toBe(5);
      expect(res.body.entities.map((e: { merchant: string }) => e.merchant)).toEqual(['m20', 'm21', 'm22', 'm23', 'm24']);
      expect(Object.keys(res.body.entities[0])).toEqual(['dateTime', 'dateTimAccount', 'system', 'merchantNo', 'merchant', 'description', 'amount', 'cardBalance']);
      expect(res.body.entities[0].dateTimAccount).toBe(day + 86400_000 + 5 * 60_000);
      const byTime = await call(app, 'GET', '/v1/me/card/transactions', token, { cardNo, beginDate: day + 86400_000 + 1 });
      expect(byTime.body).toEqual({ ...SUCCESS, total: 0, entities: [] });
    });

    it('refuses broken paging and ranges, naming the field', async () => {
      const cases: Array<[Record<string, string | number>, string]> = [
        [{ cardNo, start: 5, limit: 10 }, 'start: must be a multiple of limit (10)'],
        [{ cardNo, start: 5 }, 'limit: required (1-100) when start is above 0'],
        [{ cardNo }, 'beginDate: required without paging (limit 0 or absent)'],
        [{ cardNo, limit: 0 }, 'beginDate: required without paging (limit 0 or absent)'],
        [{ cardNo, limit: 101 }, 'limit must be at most 100'],
        [{ cardNo, limit: -1 }, 'limit must be at least 0'],
        [{ cardNo, limit: 'ten' }, 'limit must be an integer'],
        [{ cardNo, beginDate: '2024-09-01' }, 'beginDate must be an integer'],
        [{ cardNo, beginDate: 10, endDate: 5 }, 'endDate: must not be before beginDate'],
        [{ cardNo, beginDate: 0, orderBy: 'amount' }, 'orderBy must be dateTime or dateTimeAccount'],
      ];
      for (const [params, message] of cases) failure(await call(app, 'GET', '/v1/me/card/transactions', token, params), 400, message);
    });

    it("never shows another user's card; without cardNo, the user's first", async () => {
      const other = await createUser(app);
      const otherCard = await openCard(app, manager, other.userCode, { openAmount: 1, free: true });
      failure(await call(app, 'GET', '/v1/me/card/transactions', token, { cardNo: otherCard, beginDate: 0 }), 404, `cardNo: no card ${otherCard}`);
      const mine = await call(app, 'GET', '/v1/me/card/transactions', token, { limit: 1 });
      expect(mine.body.total).toBe(25);
      const stranger = await userToken(app, client, await createUser(app), ['card_transactions']);
      failure(await call(app, 'GET', '/v1/me/card/transactions', stranger, { beginDate: 0 }), 404, 'cardNo: this user has no campus card');
    });
  });
});
