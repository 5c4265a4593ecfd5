import { startTestApp, TestApp } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { createMachine, createOrder, issuanceEnv, newPhone, PROJECT_KEYS } from './support/fixtures';

function failure(body: any, code: number, msg: RegExp) {
  expect(body).toEqual({ code, msg: expect.stringMatching(msg), success: false, status: code, data: null });
}

describe('card-issuance: operators', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(cardIssuanceApp, { env: issuanceEnv() });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('registers a machine once, shows the secret once and stores it sealed', async () => {
    const kiosk = await createMachine(app, 'P1');
    const [row] = await app.db.query(`SELECT secret_sealed FROM machine WHERE machine_no = $1`, [kiosk.machineNo]);
    expect(row.secret_sealed).not.toContain(kiosk.secret);
    failure((await app.admin('POST', '/admin/machines', { machineNo: kiosk.machineNo, projectId: 'P1', address: 'x' })).body, 409, /^machineNo: machine .* already exists/);
    const shown = await app.admin('GET', `/admin/machines/${kiosk.machineNo}`);
    expect(shown.body.data).toMatchObject({ machineNo: kiosk.machineNo, projectId: 'P1', status: 1, lowStockThresholds: { cardCount: 20, inkCount: 20, cardRopeCover: 20 } });
    const listed = await app.admin('GET', '/admin/machines?projectId=P1');
    expect(listed.body.data.total).toBeGreaterThanOrEqual(1);
    expect(listed.text).not.toContain(kiosk.secret);
    expect(listed.text).not.toContain('secret');
  });

  it('refuses bad machine input, naming the field', async () => {
    failure((await app.admin('POST', '/admin/machines', { projectId: 'P1', address: 'x' })).body, 400, /^machineNo is required/);
    failure((await app.admin('POST', '/admin/machines', { machineNo: 'K 1', projectId: 'P1', address: 'x' })).body, 400, /^machineNo must be/);
    failure((await app.admin('POST', '/admin/machines', { machineNo: 'K-X', projectId: 'P9', address: 'x' })).body, 422, /^projectId: no card master key is configured for project P9/);
    failure((await app.admin('POST', '/admin/machines', { machineNo: 'K-X', projectId: 'P1', address: 'x', extra: 1 })).body, 400, /extra/);
    const kiosk = await createMachine(app, 'P1');
    failure((await app.admin('PATCH', `/admin/machines/${kiosk.machineNo}`, { status: 3 })).body, 400, /^status must be 1 \(enabled\) or 2 \(disabled\)/);
    failure((await app.admin('PATCH', `/admin/machines/${kiosk.machineNo}`, { lowStockThresholds: { inkCount: -1 } })).body, 400, /^lowStockThresholds\.inkCount must be 0 or more/);
    failure((await app.admin('PATCH', '/admin/machines/NOPE', { status: 2 })).body, 404, /^machineNo: no machine NOPE/);
  });

  it('creates orders with a 6-digit pickup code stored hashed, and unique card numbers per project', async () => {
    const a = await createOrder(app);
    const b = await createOrder(app, { projectId: 'P2' });
    const c = await createOrder(app);
    const rows = await app.db.query(`SELECT order_id, card_no, pickup_code_hash, status, round(extract(epoch FROM pickup_expires_at - created_at) / 3600)::int AS ttl_hours FROM card_order WHERE order_id = ANY($1) ORDER BY order_id`, [[a.orderId, b.orderId, c.orderId]]);
    expect(rows.map((r: any) => r.status)).toEqual(['PENDING', 'PENDING', 'PENDING']);
    for (const [i, o] of [a, b, c].entries()) expect(rows[i].pickup_code_hash).not.toContain(o.pickupCode);
    expect(rows[0].ttl_hours).toBe(168);
    const cardNos = rows.map((r: any) => r.card_no);
    expect(new Set(cardNos).size).toBe(3);
    expect(cardNos[0].slice(0, 4)).toBe(cardNos[2].slice(0, 4));
    expect(cardNos[1].slice(0, 4)).not.toBe(cardNos[0].slice(0, 4));
    expect(Number(cardNos[2].slice(4)) - Number(cardNos[0].slice(4))).toBe(1);
  });

  it('refuses bad order input, naming the field', async () => {
    const good = { orderType: 1, userId: 'U1', userName: '李四', idCard: '110101199003074514', phoneNumber: newPhone(), companyId: 'C', companyName: 'Co', cardFacePath: 'f', cardBackPath: 'b', projectId: 'P1' };
    const cases: Array<[object, number, RegExp]> = [
      [{ ...good, orderType: 2 }, 400, /^orderType must be 1 \(open card\) or 22 \(reissue\)/],
      [{ ...good, userName: undefined }, 400, /^userName is required/],
      [{ ...good, userName: '张'.repeat(33) }, 400, /^userName must be at most 96 bytes in UTF-8/],
      [{ ...good, companyName: '公'.repeat(65) }, 400, /^companyName must be at most 192 bytes/],
      [{ ...good, idCard: '1101-0119' }, 400, /^idCard must be 1-32 letters or digits/],
      [{ ...good, phoneNumber: '138-1234' }, 400, /^phoneNumber must be digits/],
      [{ ...good, cardFacePath: 'x'.repeat(513) }, 400, /^cardFacePath must be at most 512 characters/],
      [{ ...good, projectId: 'P9' }, 422, /^projectId: no card master key/],
      [{ ...good, pickupCode: '123456' }, 400, /pickupCode/],
    ];
    const [before] = await app.db.query(`SELECT count(*)::int AS n FROM card_order`);
    for (const [body, code, msg] of cases) failure((await app.admin('POST', '/admin/orders', body)).body, code, msg);
    const [after] = await app.db.query(`SELECT count(*)::int AS n FROM card_order`);
    expect(after.n).toBe(before.n);
  });

  it('lists, shows, cancels orders and renews pickup codes', async () => {
    const order = await createOrder(app, { projectId: 'P2' });
    const listed = await app.admin('GET', `/admin/orders?projectId=P2&status=PENDING&phoneNumber=${order.phoneNumber}`);
    expect(listed.body.data).toEqual({ total: 1, limit: 100, offset: 0, items: [expect.objectContaining({ orderId: order.orderId, status: 'PENDING', phoneNumber: order.phoneNumber, cardNo: expect.stringMatching(/^\d{16}$/) })] });
    expect((await app.admin('GET', `/admin/orders?phoneNumber=${order.phoneNumber}&limit=1&offset=1`)).body.data).toEqual({ total: 1, limit: 1, offset: 1, items: [] });
    expect(listed.text).not.toContain('scrypt');
    failure((await app.admin('GET', '/admin/orders?status=DONE')).body, 400, /^status must be PENDING, FINISHED or CANCELLED/);
    failure((await app.admin('GET', '/admin/orders?limit=1001')).body, 400, /^limit must be at most 1000$/);
    failure((await app.admin('GET', '/admin/orders/000')).body, 404, /^orderId: no order 000/);

    const kiosk = await createMachine(app, 'P2');
    expect((await kiosk.userDetail(order.phoneNumber, order.pickupCode)).body.code).toBe(0);
    const renewed = await app.admin('POST', `/admin/orders/${order.orderId}/pickup-code`);
    expect(renewed.body.data).toEqual({ orderId: order.orderId, pickupCode: expect.stringMatching(/^\d{6}$/) });
    expect((await app.admin('GET', `/admin/orders/${order.orderId}`)).body.data.claimedMachineNo).toBeNull();
    if (renewed.body.data.pickupCode !== order.pickupCode) {
      failure((await kiosk.userDetail(order.phoneNumber, order.pickupCode)).body, 404, /^pickupCode: wrong/);
    }
    const other = await createMachine(app, 'P2');
    expect((await other.userDetail(order.phoneNumber, renewed.body.data.pickupCode)).body.code).toBe(0);

    const cancelled = await app.admin('POST', `/admin/orders/${order.orderId}/cancel`);
    expect(cancelled.body.data).toMatchObject({ status: 'CANCELLED', cancelledAt: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
    expect((await app.admin('POST', `/admin/orders/${order.orderId}/cancel`)).body.data.status).toBe('CANCELLED');
    failure((await app.admin('POST', `/admin/orders/${order.orderId}/pickup-code`)).body, 409, /^orderId: order .* is cancelled/);
  });

  it('never shows card master keys', async () => {
    const texts = [(await app.admin('GET', '/admin/machines')).text, (await app.admin('GET', '/admin/orders')).text, (await app.http('GET', '/docs-json')).text];
    for (const key of Object.values(PROJECT_KEYS)) for (const t of texts) expect(t.toUpperCase()).not.toContain(key);
  });
});
