import { Events } from '@onecard/contracts';
import { eventually, startTestApp, TcpProxy, TEST_DATABASE_URL, TestApp, TestBus } from '../../src';
import { probeApp } from './probe/probe.app';
import { checked, consumedCount, issued, ISSUED_CONSUMER, mostAtOnce, RETRY_BASE_MS, retryEnv } from './probe/consumer-helpers';
import { probeRemote } from './probe/probe.consumers';

const tuya = { projectId: 'P-1', personId: 'person-1', personCardId: 'pc-1', cardStatus: 2 as const, change: 'updated' as const };

/** Handlers that throw: bounded deliveries with a growing wait, dead letters, replay, parallelism, handlers without a transaction. */
describe('platform: consumers that can fail', () => {
  let app: TestApp & { bus: TestBus };
  const plan = (orderId: string, failures: number) => app.db.query(`INSERT INTO probe_failure_plan (order_id, failures) VALUES ($1, $2) ON CONFLICT (order_id) DO UPDATE SET failures = $2`, [orderId, failures]);
  const issue = (orderId: string) => app.bus.publish(Events.CardIssued, { ...issued, orderId });
  const attempts = async (eventId: string): Promise<Date[]> => (await app.db.query(`SELECT at FROM probe_attempt WHERE event_id = $1 ORDER BY id`, [eventId])).map((r: { at: Date }) => r.at);
  const appliedOrders = async (): Promise<string[]> => (await app.db.query(`SELECT order_id FROM probe_applied ORDER BY id`)).map((r: { order_id: string }) => r.order_id);
  const deadLetters = async (status = 'dead') => (await app.admin('GET', `/admin/events?status=${status}`)).body.data;

  beforeAll(async () => {
    app = await startTestApp(probeApp, { env: retryEnv });
  });
  afterAll(() => app.close());

  it('delivers a failing event again after a growing wait, and applies it once when it succeeds', async () => {
    await plan('TWICE', 2);
    const event = await issue('TWICE');
    await eventually(async () => (await appliedOrders()).includes('TWICE'));
    const tries = await attempts(event.eventId);
    expect(tries).toHaveLength(3);
    expect(tries[1].getTime() - tries[0].getTime()).toBeGreaterThanOrEqual(RETRY_BASE_MS);
    expect(tries[2].getTime() - tries[1].getTime()).toBeGreaterThanOrEqual(2 * RETRY_BASE_MS);
    await new Promise((r) => setTimeout(r, 500));
    expect((await appliedOrders()).filter((o) => o === 'TWICE')).toHaveLength(1);
    expect(await attempts(event.eventId)).toHaveLength(3);
    expect(await consumedCount(app, Events.CardIssued, 'failed')).toBe(2);
    expect(await consumedCount(app, Events.CardIssued, 'applied')).toBe(1);
    expect((await deadLetters()).total).toBe(0);
  });

  it('gives up after maxDeliveries: a dead letter operators see, replayed once the cause is fixed, applied once', async () => {
    await plan('ALWAYS', -1);
    const event = await issue('ALWAYS');
    const dead = await eventually(async () => (await deadLetters()).items[0], 15_000);
    expect(dead).toEqual({
      id: expect.any(Number), status: 'dead', consumer: ISSUED_CONSUMER, subject: Events.CardIssued, eventId: event.eventId,
      reason: 'failed', error: 'order ALWAYS fails on purpose', deliveries: 5, streamSeq: expect.any(Number),
      deadAt: expect.any(String), replays: 0, lastReplayAt: null, message: event,
    });
    // Waits of 200, 400, 800 and 1600 ms came between the five tries; then JetStream let go of it.
    const tries = await attempts(event.eventId);
    expect(tries).toHaveLength(5);
    expect(tries[4].getTime() - tries[0].getTime()).toBeGreaterThanOrEqual(15 * RETRY_BASE_MS);
    expect(await consumedCount(app, Events.CardIssued, 'dead')).toBe(1);
    expect((await app.http('GET', '/metrics')).text).toMatch(/onecard_events_dead_letters\{app="card-issuance"\} 1/);
    const next = await issue('AFTER-DEAD');
    await eventually(async () => (await appliedOrders()).includes('AFTER-DEAD'));
    expect(await attempts(event.eventId)).toHaveLength(5);
    expect(await attempts(next.eventId)).toHaveLength(1);

    // Replayed while the cause is still there: still dead, with the new error.
    const again = await app.admin('POST', `/admin/events/${dead.id}/replay`);
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ ok: false, kind: 'UNPROCESSABLE', code: 'REPLAY_FAILED', message: 'replay failed, still dead: order ALWAYS fails on purpose' });
    expect((await deadLetters()).items).toEqual([{ ...dead, replays: 1, lastReplayAt: expect.any(String) }]);

    // Fixed: the replay applies it, once, and the letter moves to `replayed`.
    await plan('ALWAYS', 0);
    const replayed = await app.admin('POST', `/admin/events/${dead.id}/replay`);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual({ ok: true, data: { ...dead, status: 'replayed', replays: 2, lastReplayAt: expect.any(String), outcome: 'applied' } });
    expect((await appliedOrders()).filter((o) => o === 'ALWAYS')).toHaveLength(1);
    const second = await app.admin('POST', `/admin/events/${dead.id}/replay`);
    expect(second.body).toEqual({ ok: false, kind: 'CONFLICT', code: 'DEAD_LETTER_ALREADY_REPLAYED', message: `id: dead letter ${dead.id} was replayed already` });
    expect((await appliedOrders()).filter((o) => o === 'ALWAYS')).toHaveLength(1);
    expect(await deadLetters()).toEqual({ total: 0, limit: 100, offset: 0, items: [] });
    expect(await deadLetters('replayed')).toEqual({ total: 1, limit: 100, offset: 0, items: [{ ...dead, status: 'replayed', replays: 2, lastReplayAt: expect.any(String) }] });
    // The inbox has it now: the same event arriving again is a duplicate.
    await app.bus.publishRaw(Events.CardIssued, event);
    await eventually(async () => (await consumedCount(app, Events.CardIssued, 'duplicate')) === 1);
    expect((await appliedOrders()).filter((o) => o === 'ALWAYS')).toHaveLength(1);
  }, 30_000);

  it('keeps stream order with parallel 1: a failing event holds back the ones after it', async () => {
    await plan('ORDER-2', 1);
    const events = [];
    for (let n = 1; n <= 5; n++) events.push(await issue(`ORDER-${n}`));
    await eventually(async () => (await appliedOrders()).includes('ORDER-5'));
    expect((await appliedOrders()).filter((o) => o.startsWith('ORDER-'))).toEqual(['ORDER-1', 'ORDER-2', 'ORDER-3', 'ORDER-4', 'ORDER-5']);
    const [second, third] = [await attempts(events[1].eventId), await attempts(events[2].eventId)];
    expect(second).toHaveLength(2);
    expect(third[0].getTime()).toBeGreaterThan(second[1].getTime());
  });

  it('handles up to `parallel: 4` events at once, never more', async () => {
    for (let n = 0; n < 10; n++) await app.bus.publish(Events.CardChecked, { ...checked, cardId: `C${n}` });
    const rows = await eventually(async () => {
      const r = await app.db.query(`SELECT started_at, finished_at FROM probe_checked`);
      return r.length === 10 && r;
    });
    expect(mostAtOnce(rows)).toBe(4);
  });

  it('transaction: false runs the handler with no transaction held and writes the inbox only after it succeeds', async () => {
    probeRemote.refusals = 2;
    const event = await app.bus.publish(Events.TuyaCardChanged, { ...tuya, cardNo: 'T-1' });
    const inbox = async () => (await app.db.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [event.eventId]))[0].n;
    await eventually(() => probeRemote.calls.length >= 1);
    // The intent committed in its own transaction stays though the handler failed; no inbox row yet.
    expect(await app.db.query(`SELECT card_no, in_transaction, sent_at FROM probe_notice WHERE event_id = $1`, [event.eventId])).toEqual([{ card_no: 'T-1', in_transaction: false, sent_at: null }]);
    expect(await inbox()).toBe(0);
    await eventually(async () => (await inbox()) === 1);
    expect(probeRemote.calls).toEqual([{ cardNo: 'T-1', ok: false }, { cardNo: 'T-1', ok: false }, { cardNo: 'T-1', ok: true }]);
    const [notice] = await app.db.query(`SELECT sent_at FROM probe_notice WHERE event_id = $1`, [event.eventId]);
    expect(notice.sent_at).toBeInstanceOf(Date);

    // Delivered again after success: the inbox answers, the remote is not called again.
    await app.bus.publishRaw(Events.TuyaCardChanged, event);
    await eventually(async () => (await consumedCount(app, Events.TuyaCardChanged, 'duplicate')) === 1);
    expect(probeRemote.calls).toHaveLength(3);
  });

  it('transaction: false honours its own maxDeliveries (3), and its replay follows the same rules', async () => {
    probeRemote.refusals = -1;
    probeRemote.calls.length = 0;
    const event = await app.bus.publish(Events.TuyaCardChanged, { ...tuya, cardNo: 'T-2' });
    const dead = await eventually(async () => (await deadLetters()).items.find((l: { eventId: string }) => l.eventId === event.eventId));
    expect(dead).toMatchObject({ consumer: 'card-issuance__onecard_tuya-bridge_card_changed', reason: 'failed', deliveries: 3, error: 'remote: 503 Service Unavailable' });
    expect(probeRemote.calls).toHaveLength(3);
    probeRemote.refusals = 0;
    const replayed = await app.admin('POST', `/admin/events/${dead.id}/replay`);
    expect(replayed.body.data).toMatchObject({ status: 'replayed', outcome: 'applied' });
    expect(probeRemote.calls.map((c) => c.ok)).toEqual([false, false, false, true]);
    expect((await app.db.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [event.eventId]))[0].n).toBe(1);
  }, 20_000);
});

/** No message leaves JetStream before its dead letter is written, even with the database away past the last delivery. */
describe('platform: consumers while the database is away', () => {
  let app: TestApp & { bus: TestBus };
  let pg: TcpProxy;

  beforeAll(async () => {
    pg = await TcpProxy.start(TEST_DATABASE_URL);
    app = await startTestApp(probeApp, { env: { ...retryEnv, DATABASE_URL: pg.rewrite(TEST_DATABASE_URL) } });
  });
  afterAll(async () => {
    await pg.up();
    await app.close();
    await pg.down();
  });

  it('keeps the event in JetStream past maxDeliveries, and dead-letters it once the database is back', async () => {
    await pg.down();
    const event = await app.bus.publish(Events.CardIssued, { ...issued, orderId: 'DB-AWAY' });
    const jsm = await app.bus.nc.jetstreamManager();
    const consumer = () => jsm.consumers.info(app.bus.stream, ISSUED_CONSUMER);
    // Five failed deliveries and a sixth, none of them able to write anything: still pending, not terminated.
    await eventually(async () => (await consumedCount(app, Events.CardIssued, 'failed')) >= 6, 15_000);
    expect((await consumer()).num_ack_pending).toBe(1);
    await pg.up();
    const [letter] = await eventually(async () => {
      const rows = await app.db.query(`SELECT id, event_id, reason, deliveries, error FROM event_dead_letter`);
      return rows.length > 0 && rows;
    }, 15_000);
    expect(letter).toMatchObject({ event_id: event.eventId, reason: 'unanswered', error: expect.stringMatching(/^delivered \d+ times, 5 allowed; no outcome recorded since/) });
    expect(letter.deliveries).toBeGreaterThan(5);
    await eventually(async () => (await consumer()).num_ack_pending === 0);
    expect(await app.db.query(`SELECT order_id FROM probe_applied`)).toEqual([]);
    const replayed = await app.admin('POST', `/admin/events/${letter.id}/replay`);
    expect(replayed.body.data).toMatchObject({ status: 'replayed', outcome: 'applied' });
    expect(await app.db.query(`SELECT order_id FROM probe_applied`)).toEqual([{ order_id: 'DB-AWAY' }]);
  }, 40_000);
});
