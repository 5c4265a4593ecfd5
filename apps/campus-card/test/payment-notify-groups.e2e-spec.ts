import { startTestApp, TestApp } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import { call, campusEnv, createClient, createUser, failure, notify, openCard, paymentNotice, SUCCESS, TestClient, userToken, wireNow } from './support/campus';

/**
 * Payment notifications arriving together are credited by one statement per group (one commit):
 * each must still be answered as it would be alone, every card's entries chained, and one that
 * cannot be credited must not take the others of its group down.
 */
describe('campus-card: payment notifications credited in groups', () => {
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

  async function cardholder(): Promise<{ token: string; cardNo: string }> {
    const user = await createUser(app);
    const cardNo = await openCard(app, manager, user.userCode, { free: true });
    return { token: await userToken(app, client, user, ['write_card_info']), cardNo };
  }

  async function orders(token: string, cardNo: string, yuan: number[]): Promise<Array<{ id: number; yuan: number }>> {
    const out = [];
    for (const amount of yuan) out.push({ id: (await call(app, 'POST', '/v1/me/card/recharge', token, { cardNo, amount })).body.entities[0].id as number, yuan: amount });
    return out;
  }

  const entriesOf = (cardNo: string): Promise<Array<{ amount_fen: string; balance_after_fen: string; reference: string; booked_at: Date }>> =>
    app.db.query(`SELECT amount_fen, balance_after_fen, reference, booked_at FROM ledger_entry WHERE card_no = $1 ORDER BY id`, [cardNo]);

  it('answers each of a mixed crowd as if alone: credits (twice sent) once, chained per card, refusals and failures recorded', async () => {
    const a = await cardholder();
    const b = await cardholder();
    const good = [...(await orders(a.token, a.cardNo, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])), ...(await orders(b.token, b.cardNo, [20, 30, 40, 50]))];
    const [short, late, unpaid] = await orders(a.token, a.cardNo, [10, 10, 10]);
    const payTime = wireNow();
    const sends = [
      ...good.flatMap((o) => {
        const notice = paymentNotice({ id: o.id, amount: `${o.yuan}.00`, payTime, status: 'SUCCESS' });
        return [{ notice, expect: 'ok' }, { notice, expect: 'ok' }];
      }),
      { notice: paymentNotice({ id: short.id, amount: '9.00', payTime, status: 'SUCCESS' }), expect: 'amount' },
      { notice: paymentNotice({ id: late.id, amount: '10.00', payTime: wireNow(31 * 60_000), status: 'SUCCESS' }), expect: 'late' },
      { notice: paymentNotice({ id: unpaid.id, amount: '10.00', payTime, status: 'FAILED' }), expect: 'ok' },
      { notice: paymentNotice({ id: '999999999999999', amount: '10.00', payTime, status: 'SUCCESS' }), expect: 'none' },
    ];
    const answers = await Promise.all(sends.map((s) => notify(app, s.notice)));
    sends.forEach((s, i) => {
      if (s.expect === 'ok') expect(answers[i].body).toEqual(SUCCESS);
      if (s.expect === 'amount') failure(answers[i], 422, `amount: paid 9.00 yuan, order ${short.id} applied for 10.00; it is RECHARGE_FAILED`);
      if (s.expect === 'late') failure(answers[i], 422, `payTime: after the order's expireTime; order ${late.id} is RECHARGE_FAILED`);
      if (s.expect === 'none') failure(answers[i], 404, 'id: no recharge order 999999999999999');
    });

    for (const [card, credited] of [
      [a.cardNo, good.slice(0, 12)],
      [b.cardNo, good.slice(12)],
    ] as const) {
      const entries = await entriesOf(card);
      // One entry per order, each balance the one before plus its amount.
      expect(entries.map((e) => e.reference).sort()).toEqual(credited.map((o) => String(o.id)).sort());
      let balance = 0;
      for (const e of entries) {
        balance += Number(e.amount_fen);
        expect(Number(e.balance_after_fen)).toBe(balance);
      }
      const [account] = await app.db.query(`SELECT balance_fen FROM card_account WHERE card_no = $1`, [card]);
      expect(Number(account.balance_fen)).toBe(credited.reduce((sum, o) => sum + o.yuan * 100, 0));
    }
    const statuses = await app.db.query(`SELECT id::text, status FROM recharge_order WHERE id = ANY($1::bigint[]) ORDER BY id`, [[short.id, late.id, unpaid.id]]);
    expect(statuses.map((r: { status: string }) => r.status)).toEqual(['RECHARGE_FAILED', 'RECHARGE_FAILED', 'PAY_FAILED']);
    // Credited together: entries of one commit share its transaction time.
    const booked = (await entriesOf(a.cardNo)).concat(await entriesOf(b.cardNo)).map((e) => e.booked_at.getTime());
    expect(new Set(booked).size).toBeLessThan(booked.length);
  });

  it('credits the rest of a group when one of them cannot be credited', async () => {
    const { token, cardNo } = await cardholder();
    const all = await orders(token, cardNo, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // A credit already booked for an order still PAY_PENDING (as no path of the app writes it):
    // the ledger's unique (kind, reference) refuses a second, and whatever group holds it fails.
    const broken = all[4];
    await app.db.query(
      `INSERT INTO ledger_entry (card_no, kind, amount_fen, balance_after_fen, occurred_at, system, merchant_no, merchant, description, reference)
       VALUES ($1, 'RECHARGE', 1, 1, now(), '', '', '', '在线充值', $2)`,
      [cardNo, String(broken.id)],
    );
    await app.db.query(`UPDATE card_account SET balance_fen = 1 WHERE card_no = $1`, [cardNo]);
    const payTime = wireNow();
    const answers = await Promise.all(all.map((o) => notify(app, paymentNotice({ id: o.id, amount: `${o.yuan}.00`, payTime, status: 'SUCCESS' }))));
    all.forEach((o, i) => {
      if (o === broken) expect(answers[i].body.errno).toBe(500);
      else expect(answers[i].body).toEqual(SUCCESS);
    });
    const credited = all.filter((o) => o !== broken);
    const entries = await entriesOf(cardNo);
    expect(entries.map((e) => e.reference).sort()).toEqual([broken, ...credited].map((o) => String(o.id)).sort());
    const [account] = await app.db.query(`SELECT balance_fen FROM card_account WHERE card_no = $1`, [cardNo]);
    expect(Number(account.balance_fen)).toBe(1 + credited.reduce((sum, o) => sum + o.yuan * 100, 0));
    const [order] = await app.db.query(`SELECT status FROM recharge_order WHERE id = $1`, [broken.id]);
    expect(order.status).toBe('PAY_PENDING');
  });
});
