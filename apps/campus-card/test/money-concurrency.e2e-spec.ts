import { startTestApp, TestApp } from '@onecard/testing';
import { campusCardApp } from '../src/app.definition';
import { balanceAndLedger, call, campusEnv, createClient, createUser, notify, openCard, paymentNotice, userToken, wireNow } from './support/campus';

/** Deterministic pseudo-random fen amounts, so a failure can be replayed. */
function amounts(count: number, seed: number, maxFen: number): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 1 + (x % maxFen);
  });
}

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('campus-card: money under concurrency, one card', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(campusCardApp, { env: campusEnv({ DB_POOL_SIZE: '8' }) });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('200 recharges (each notified twice), 200 purchases and 200 transfers at once: balance = ledger, every entry chained, nothing twice', async () => {
    const client = await createClient(app, { allowTransfer: true });
    const manager = await userToken(app, client, await createUser(app), ['manage_card']);
    const user = await createUser(app);
    const cardNo = await openCard(app, manager, user.userCode, { free: true, openAmount: 100 });
    const token = await userToken(app, client, user, ['write_card_info']);

    const orders: Array<{ id: number; amount: number }> = [];
    for (const yuan of amounts(200, 7, 20)) {
      const res = await call(app, 'POST', '/v1/me/card/recharge', token, { cardNo, amount: yuan });
      orders.push({ id: res.body.entities[0].id, amount: yuan });
    }
    const payTime = wireNow();
    const notices = orders.flatMap((o) => {
      const notice = paymentNotice({ id: o.id, amount: `${o.amount}.00`, payTime, status: 'SUCCESS' });
      return [notice, notice];
    });
    const purchases = amounts(200, 11, 300);
    const transfers = amounts(200, 13, 200);

    type Outcome = { kind: 'recharge' | 'pos' | 'transfer'; errno: number; fen: number };
    const operations: Array<() => Promise<Outcome>> = [
      ...notices.map((n) => async () => ({ kind: 'recharge' as const, errno: (await notify(app, n)).body.errno, fen: 0 })),
      ...purchases.map((fen) => async () => ({
        kind: 'pos' as const,
        errno: (await app.admin('POST', '/admin/transactions', { cardNo, merchantNo: 'M1', merchant: '食堂', system: '一餐', amount: fen / 100 })).body.errno,
        fen,
      })),
      ...transfers.map((fen) => async () => ({
        kind: 'transfer' as const,
        errno: (await call(app, 'POST', '/v1/me/card/transfer', token, { cardNo, queryPassword: user.queryPassword, amount: fen / 100 })).body.errno,
        fen,
      })),
    ];
    const outcomes = await Promise.all(shuffled(operations, 5).map((op) => op()));

    // Every answer is a success or a short balance (402), nothing else.
    expect(new Set(outcomes.map((o) => o.errno))).toEqual(new Set(outcomes.some((o) => o.errno === 402) ? [0, 402] : [0]));
    expect(outcomes.filter((o) => o.kind === 'recharge').every((o) => o.errno === 0)).toBe(true);

    const { balance, ledger, entries } = await balanceAndLedger(app, cardNo);
    expect(balance).toBe(ledger);
    expect(balance).toBeGreaterThanOrEqual(0);

    const rows: Array<{ kind: string; amount_fen: string; balance_after_fen: string; reference: string | null }> = await app.db.query(
      `SELECT kind, amount_fen, balance_after_fen, reference FROM ledger_entry WHERE card_no = $1 ORDER BY id`,
      [cardNo],
    );
    expect(rows).toHaveLength(entries);
    // Each entry starts from the balance the previous one left: the card's changes were serialised.
    let running = 0;
    for (const row of rows) {
      running += Number(row.amount_fen);
      expect(Number(row.balance_after_fen)).toBe(running);
      expect(running).toBeGreaterThanOrEqual(0);
    }
    // Credited once per order; one entry per successful purchase and transfer.
    const recharges = rows.filter((r) => r.kind === 'RECHARGE');
    expect(recharges).toHaveLength(200);
    expect(new Set(recharges.map((r) => r.reference)).size).toBe(200);
    expect(recharges.reduce((s, r) => s + Number(r.amount_fen), 0)).toBe(orders.reduce((s, o) => s + o.amount * 100, 0));
    const okPos = outcomes.filter((o) => o.kind === 'pos' && o.errno === 0);
    expect(rows.filter((r) => r.kind === 'POS').map((r) => -Number(r.amount_fen)).sort()).toEqual(okPos.map((o) => o.fen).sort());
    const okTransfers = outcomes.filter((o) => o.kind === 'transfer' && o.errno === 0);
    expect(rows.filter((r) => r.kind === 'TRANSFER_OUT').map((r) => -Number(r.amount_fen)).sort()).toEqual(okTransfers.map((o) => o.fen).sort());
    const [{ n: transferOrders }] = await app.db.query(`SELECT count(*)::int AS n FROM transfer_order WHERE card_no = $1`, [cardNo]);
    expect(transferOrders).toBe(okTransfers.length);
    const statuses = await app.db.query(`SELECT status, count(*)::int AS n FROM recharge_order WHERE card_no = $1 GROUP BY status`, [cardNo]);
    expect(statuses).toEqual([{ status: 'RECHARGED', n: 200 }]);
  }, 180_000);

  it('100 purchases of 1 yuan at once on a 50-yuan card: exactly 50 pass, 50 are refused, the balance ends at 0', async () => {
    const client = await createClient(app);
    const manager = await userToken(app, client, await createUser(app), ['manage_card']);
    const user = await createUser(app);
    const cardNo = await openCard(app, manager, user.userCode, { free: true, openAmount: 50 });
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => app.admin('POST', '/admin/transactions', { cardNo, merchantNo: 'M1', merchant: '食堂', system: '一餐', amount: 1 })),
    );
    const errnos = answers.map((a) => a.body.errno);
    expect(errnos.filter((e) => e === 0)).toHaveLength(50);
    expect(errnos.filter((e) => e === 402)).toHaveLength(50);
    expect(await balanceAndLedger(app, cardNo)).toEqual({ balance: 0, ledger: 0, entries: 51 });
  }, 60_000);
});
