import { Events } from '@onecard/contracts';
import { eventually, startTestApp, TcpProxy, TEST_NATS_URL, TestApp, TestBus } from '../../src';
import { ISSUED_CONSUMER, issued, retryEnv } from './probe/consumer-helpers';
import { probeApp, probeQueue } from './probe/probe.app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CHECKED_CONSUMER = 'card-issuance__onecard_transit-validation_card_checked';
const TUYA_CONSUMER = 'card-issuance__onecard_tuya-bridge_card_changed';
const idle = (consumer: string, subject: string) => ({ consumer, subject, pending: 0, ackPending: 0, oldestAt: null });
const empty = (name: string, detail: Record<string, unknown> | null = null) => ({ name, scope: 'app', pending: 0, oldestAt: null, oldestAgeSeconds: null, error: null, detail });

/** GET /admin/backlog: the app's pending work in one answer, platform sources first, then the app's own. */
describe('platform: backlog', () => {
  let app: TestApp & { bus: TestBus };
  let nats: TcpProxy;
  const backlog = async () => {
    const res = await app.admin('GET', '/admin/backlog');
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const item = async (name: string) => (await backlog()).items.find((i: { name: string }) => i.name === name);
  const plan = (orderId: string, failures: number) => app.db.query(`INSERT INTO probe_failure_plan (order_id, failures) VALUES ($1, $2) ON CONFLICT (order_id) DO UPDATE SET failures = $2`, [orderId, failures]);

  beforeAll(async () => {
    nats = await TcpProxy.start(TEST_NATS_URL);
    app = await startTestApp(probeApp, { env: { ...retryEnv, NATS_URL: nats.rewrite(TEST_NATS_URL).replace(/\/$/, '') } });
    await eventually(async () => (await app.http('GET', '/health')).status === 200);
  });
  afterAll(async () => {
    await app.close();
    await nats.down();
  });

  it('answers every source with nothing pending in the app envelope, with the exact fields', async () => {
    const res = await app.admin('GET', '/admin/backlog');
    expect(res.body).toEqual({
      ok: true,
      data: {
        app: 'card-issuance',
        checkedAt: expect.stringMatching(ISO),
        items: [
          empty('outbox', { lastError: null }),
          empty('events_pending', {
            consumers: [
              idle(ISSUED_CONSUMER, Events.CardIssued),
              idle(CHECKED_CONSUMER, Events.CardChecked),
              idle(TUYA_CONSUMER, Events.TuyaCardChanged),
            ],
          }),
          empty('event_dead_letters'),
          { ...empty('probe_queue', { broken: false }), scope: 'replica' },
        ],
      },
    });
  });

  it('refuses a caller without the operator token', async () => {
    const res = await app.http('GET', '/admin/backlog');
    expect(res.body).toEqual({ ok: false, kind: 'UNAUTHENTICATED', code: expect.any(String), message: expect.stringMatching(/authorization/i) });
  });

  it("shows an app source's count and the age of its oldest item; a source that throws is shown as unavailable, the rest still answer", async () => {
    const oldest = new Date(Date.now() - 90_000);
    probeQueue.since.push(oldest, new Date());
    const queued = await item('probe_queue');
    expect(queued).toEqual({ name: 'probe_queue', scope: 'replica', pending: 2, oldestAt: oldest.toISOString(), oldestAgeSeconds: expect.any(Number), error: null, detail: { broken: false } });
    expect(queued.oldestAgeSeconds).toBeGreaterThanOrEqual(90);
    expect(queued.oldestAgeSeconds).toBeLessThan(100);

    probeQueue.broken = true;
    const data = await backlog();
    expect(data.items.map((i: { name: string }) => i.name)).toEqual(['outbox', 'events_pending', 'event_dead_letters', 'probe_queue']);
    expect(data.items[3]).toEqual({ name: 'probe_queue', scope: 'replica', pending: null, oldestAt: null, oldestAgeSeconds: null, error: 'unavailable', detail: null });
    probeQueue.broken = false;
    probeQueue.since.length = 0;
  });

  it("counts an event a consumer keeps failing on as pending (from JetStream, with when it was stored), then as a dead letter", async () => {
    await plan('STUCK', -1);
    const before = Date.now();
    const event = await app.bus.publish(Events.CardIssued, { ...issued, orderId: 'STUCK' });
    const pending = await eventually(async () => {
      const i = await item('events_pending');
      return i.pending === 1 ? i : undefined;
    });
    const stuck = pending.detail.consumers.find((c: { consumer: string }) => c.consumer === ISSUED_CONSUMER);
    expect(stuck).toEqual({ consumer: ISSUED_CONSUMER, subject: Events.CardIssued, pending: 0, ackPending: 1, oldestAt: expect.stringMatching(ISO) });
    expect(Date.parse(stuck.oldestAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(pending.oldestAt).toBe(stuck.oldestAt);

    const dead = await eventually(async () => {
      const i = await item('event_dead_letters');
      return i.pending === 1 ? i : undefined;
    }, 15_000);
    expect(dead).toEqual({ name: 'event_dead_letters', scope: 'app', pending: 1, oldestAt: expect.stringMatching(ISO), oldestAgeSeconds: expect.any(Number), error: null, detail: null });
    const letters = (await app.admin('GET', '/admin/events?status=dead')).body.data;
    expect(letters.items[0].eventId).toBe(event.eventId);
    expect(dead.oldestAt).toBe(letters.items[0].deadAt);
    expect((await item('events_pending')).pending).toBe(0);
  });

  it('with NATS away: the outbox backlog grows with its oldest event, and the consumers are unavailable', async () => {
    await nats.down();
    await eventually(async () => (await app.http('GET', '/health')).status === 503);
    const before = Date.now();
    await app.http('POST', '/probe/items', { name: 'waits-1', remaining: 1 });
    await app.http('POST', '/probe/items', { name: 'waits-2', remaining: 1 });
    const data = await backlog();
    expect(data.items[0]).toEqual({ name: 'outbox', scope: 'app', pending: 2, oldestAt: expect.stringMatching(ISO), oldestAgeSeconds: expect.any(Number), error: null, detail: { lastError: data.items[0].detail.lastError } });
    // Null until the relay has tried and failed; then why.
    expect(data.items[0].detail.lastError === null || typeof data.items[0].detail.lastError === 'string').toBe(true);
    expect(Date.parse(data.items[0].oldestAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(data.items[1]).toEqual({ name: 'events_pending', scope: 'app', pending: null, oldestAt: null, oldestAgeSeconds: null, error: 'NATS is not connected', detail: null });

    await nats.up();
    await eventually(async () => (await item('outbox')).pending === 0, 15_000);
    expect(await item('outbox')).toEqual(empty('outbox', { lastError: null }));
  });
});
