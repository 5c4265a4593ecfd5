import { randomUUID } from 'node:crypto';
import { Events } from '@onecard/contracts';
import { eventually, startTestApp, TestApp, TestBus } from '../../src';
import { probeApp } from './probe/probe.app';

const issued = {
  orderId: 'O-1', orderType: 1 as const, userId: 'U-1', userName: '张三', companyId: 'C-1', companyName: 'ACME',
  projectId: 'P-1', machineNo: 'K-1', uid: '04A1B2C3', cardNo: '10000001', expiryDate: '20301231',
};

/** Durable consumers: validated, applied once per event id, however often delivered. */
describe('platform: inbox', () => {
  let app: TestApp & { bus: TestBus };
  const applied = async () => app.db.query(`SELECT event_id, order_id FROM probe_applied ORDER BY id`);

  beforeAll(async () => {
    app = await startTestApp(probeApp);
  });
  afterAll(() => app.close());

  it('applies the same event delivered twice once', async () => {
    const message = { eventId: randomUUID(), occurredAt: new Date().toISOString(), producer: 'card-issuance', ...issued };
    await app.bus.publishRaw(Events.CardIssued, message);
    await app.bus.publishRaw(Events.CardIssued, message);
    const next = await app.bus.publish(Events.CardIssued, { ...issued, orderId: 'O-2' });
    await eventually(async () => (await applied()).length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(await applied()).toEqual([
      { event_id: message.eventId, order_id: 'O-1' },
      { event_id: next.eventId, order_id: 'O-2' },
    ]);
    const inbox = await app.db.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [message.eventId]);
    expect(inbox[0].n).toBe(1);
  });

  it('rejects an invalid message without applying it, and carries on', async () => {
    const before = (await applied()).length;
    await app.bus.publishRaw(Events.CardIssued, { eventId: randomUUID(), occurredAt: new Date().toISOString(), producer: 'card-issuance', ...issued, uid: 'not-hex' });
    await app.bus.publishRaw(Events.CardIssued, 'not json');
    const good = await app.bus.publish(Events.CardIssued, { ...issued, orderId: 'O-3' });
    await eventually(async () => (await applied()).some((r: { event_id: string }) => r.event_id === good.eventId));
    expect((await applied()).length).toBe(before + 1);
    const metrics = await app.http('GET', '/metrics');
    expect(metrics.text).toMatch(/onecard_events_consumed_total\{subject="onecard\.card-issuance\.card\.issued",result="rejected",app="card-issuance"\} 2/);
  });

  it('rejects a message carrying text Postgres cannot store (a lone surrogate, NUL) before the handler runs', async () => {
    const before = (await applied()).length;
    const head = () => `{"eventId":"${randomUUID()}","occurredAt":"${new Date().toISOString()}","producer":"card-issuance"`;
    const fields = JSON.stringify(issued).slice(1);
    // As JSON text on the wire: "\ud800" is a lone high surrogate once parsed.
    await app.bus.publishRaw(Events.CardIssued, `${head()},${fields.replace('"张三"', '"\\ud800"')}`);
    await app.bus.publishRaw(Events.CardIssued, `${head()},${fields.replace('"ACME"', '"AC\\u0000ME"')}`);
    const good = await app.bus.publish(Events.CardIssued, { ...issued, orderId: 'O-4' });
    await eventually(async () => (await applied()).some((r: { event_id: string }) => r.event_id === good.eventId));
    expect((await applied()).length).toBe(before + 1);
    const metrics = await app.http('GET', '/metrics');
    expect(metrics.text).toMatch(/onecard_events_consumed_total\{subject="onecard\.card-issuance\.card\.issued",result="rejected",app="card-issuance"\} 4/);
  });
});
