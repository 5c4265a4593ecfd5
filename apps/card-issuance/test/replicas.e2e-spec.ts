import { runBatch, ApduStep } from '@onecard/apdu';
import { startTestApp, TestApp, TestBus } from '@onecard/testing';
import { cardIssuanceApp } from '../src/app.definition';
import { createMachine, createOrder, issuanceEnv, PROJECT_KEYS } from './support/fixtures';
import { blankCard, KioskClient, randomUid } from './support/kiosk-client';

/** Two replicas on one schema, as behind a load balancer: a kiosk's calls land on either. */
describe('card-issuance: replicas share sessions, nonces and lockouts through Postgres', () => {
  let a: TestApp & { bus: TestBus };
  let b: TestApp & { bus: TestBus };

  beforeAll(async () => {
    const env = issuanceEnv();
    a = await startTestApp(cardIssuanceApp, { env });
    b = await startTestApp(cardIssuanceApp, { env: { ...env, DB_SCHEMA: a.schema }, bus: a.bus, keepSchema: true });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('personalises a card with reports alternating between replicas, repeats included', async () => {
    const onA = await createMachine(a, 'P1');
    const onB = new KioskClient(b, onA.machineNo, onA.secret);
    const order = await createOrder(a);
    expect((await onB.userDetail(order.phoneNumber, order.pickupCode)).body.code).toBe(0);
    const card = blankCard(randomUid(), PROJECT_KEYS.P1);
    let res = await onA.getApdu({ orderId: order.orderId, userId: order.userId, uid: card.uid });
    let batch: ApduStep[] = res.body.data.cApdus;
    const kiosks = [onB, onA];
    for (let n = 0; ; n++) {
      const r = runBatch(card, batch);
      const body = { apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid: card.uid };
      res = await kiosks[n % 2].report(body);
      expect(res.body.code).toBe(0);
      // The repeat goes to the other replica (its cached row, if any, is stale): same bytes.
      expect((await kiosks[(n + 1) % 2].report(body)).text).toBe(res.text);
      if (res.body.data.isFinished) break;
      batch = res.body.data.cApdus;
    }
    expect((await onB.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid })).body.code).toBe(0);
    expect((await onA.finish({ orderId: order.orderId, userId: order.userId, uid: card.uid })).body.code).toBe(0);
    expect(card.readCardholder().name).toBe('张三');
  });

  it('refuses on one replica a nonce used on the other', async () => {
    const onA = await createMachine(a, 'P1');
    expect((await onA.machineDetail()).body.code).toBe(0);
    const sent = onA.last!;
    const res = await fetch(`${b.url}${sent.path}`, { method: 'GET', headers: sent.headers });
    expect(await res.json()).toMatchObject({ code: 401, msg: 'x-nonce: already used; sign a retried request again with a new nonce' });
  });

  it('counts wrong pickup codes across replicas', async () => {
    const onA = await createMachine(a, 'P1');
    const onB = new KioskClient(b, onA.machineNo, onA.secret);
    const order = await createOrder(a);
    const wrong = order.pickupCode === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) await (i % 2 ? onB : onA).userDetail(order.phoneNumber, wrong);
    expect((await onA.userDetail(order.phoneNumber, order.pickupCode)).body).toMatchObject({ code: 429, msg: expect.stringMatching(/^phoneNumber: locked/) });
  });

  it('sees a session cancelled on the other replica', async () => {
    const onA = await createMachine(a, 'P1');
    const order = await createOrder(a);
    await onA.userDetail(order.phoneNumber, order.pickupCode);
    const card = blankCard(randomUid(), PROJECT_KEYS.P1);
    const first = await onA.getApdu({ orderId: order.orderId, userId: order.userId, uid: card.uid });
    expect((await b.admin('POST', `/admin/orders/${order.orderId}/cancel`)).body.data.status).toBe('CANCELLED');
    const r = runBatch(card, first.body.data.cApdus);
    const res = await onA.report({ apduIndex: String(r.lastIndex), rapdu: r.rapdu, result: '0x00', userId: order.userId, uid: card.uid });
    expect(res.body).toMatchObject({ code: 409, msg: expect.stringMatching(/^uid: this session was replaced or its order cancelled/) });
  });
});
