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

  it('rejects an invalid message without applying it, records it as a dead letter, and carries on', async () => {
    const before = (await applied()).length;
    const invalid = { eventId: randomUUID(), occurredAt: new Date().toISOString(), producer: 'card-issuance', ...issued, uid: 'not-hex' };
    await app.bus.publishRaw(Events.CardIssued, invalid);
    await app.bus.publishRaw(Events.CardIssued, 'not json');
    const good = await app.bus.publish(Events.CardIssued, { ...issued, orderId: 'O-3' });
    await eventually(async () => (await applied()).some((r: { event_id: string }) => r.event_id === good.eventId));
    expect((await applied()).length).toBe(before + 1);
    const metrics = await app.http('GET', '/metrics');
    expect(metrics.text).toMatch(/onecard_events_consumed_total\{subject="onecard\.card-issuance\.card\.issued",result="rejected",app="card-issuance"\} 2/);
    expect(metrics.text).toMatch(/onecard_events_dead_letters\{app="card-issuance"\} 2/);

    // Operators see both, newest first, with the reason; JetStream has let go of them (terminated, once each).
    const res = await app.admin('GET', '/admin/events?status=dead');
    expect(res.status).toBe(200);
    expect((await app.admin('GET', '/admin/events')).body).toEqual(res.body);
    const letter = { status: 'dead', consumer: 'card-issuance__onecard_card-issuance_card_issued', subject: Events.CardIssued, reason: 'invalid', deliveries: 1, replays: 0, lastReplayAt: null };
    expect(res.body).toEqual({
      ok: true,
      data: {
        total: 2,
        limit: 100,
        offset: 0,
        items: [
          { ...letter, id: expect.any(Number), eventId: null, error: 'message is not JSON', message: 'not json', streamSeq: expect.any(Number), deadAt: expect.any(String) },
          { ...letter, id: expect.any(Number), eventId: invalid.eventId, error: expect.stringMatching(/^uid /), message: invalid, streamSeq: expect.any(Number), deadAt: expect.any(String) },
        ],
      },
    });
    const [notJson, badUid] = res.body.data.items;
    expect(notJson.id).toBeGreaterThan(badUid.id);
    expect(notJson.streamSeq).toBe(badUid.streamSeq + 1);

    // Replaying an invalid message validates it again: still dead, with the reason.
    const replay = await app.admin('POST', `/admin/events/${badUid.id}/replay`);
    expect(replay.status).toBe(422);
    expect(replay.body).toEqual({ ok: false, kind: 'UNPROCESSABLE', code: 'REPLAY_FAILED', message: `replay failed, still dead: invalid: ${badUid.error}` });
    expect((await applied()).length).toBe(before + 1);
    const after = (await app.admin('GET', '/admin/events?status=dead&limit=1&offset=1')).body.data;
    expect(after).toEqual({ total: 2, limit: 1, offset: 1, items: [{ ...badUid, error: `invalid: ${badUid.error}`, replays: 1, lastReplayAt: expect.any(String) }] });
  });

  it('answers bad /admin/events requests in the envelope, naming the field', async () => {
    const cases: Array<[string, string, string]> = [
      ['GET', '/admin/events?status=gone', 'status must be dead or replayed'],
      ['GET', '/admin/events?status=dead&limit=1001', 'limit must be at most 1000'],
      ['POST', '/admin/events/abc/replay', 'id must be a dead letter id (an integer)'],
    ];
    for (const [method, path, message] of cases) {
      const res = await app.admin(method, path);
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 400, body: { ok: false, kind: 'INVALID_INPUT', code: 'INVALID_INPUT', message } });
    }
    const missing = await app.admin('POST', '/admin/events/999999/replay');
    expect(missing.body).toEqual({ ok: false, kind: 'NOT_FOUND', code: 'DEAD_LETTER_NOT_FOUND', message: 'id: no such dead letter' });
    expect((await app.http('GET', '/admin/events?status=dead')).body).toMatchObject({ ok: false, kind: 'UNAUTHENTICATED' });
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
