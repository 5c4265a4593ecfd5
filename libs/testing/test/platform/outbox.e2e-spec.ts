import { Events } from '@onecard/contracts';
import { eventually, startTestApp, TcpProxy, TestApp, TestBus, TEST_NATS_URL } from '../../src';
import { probeApp } from './probe/probe.app';

/** The transactional outbox against the real Postgres and JetStream, NATS outage included. */
describe('platform: outbox', () => {
  let app: TestApp & { bus: TestBus };
  let nats: TcpProxy;
  const pending = async () => (await app.db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`))[0].n as number;

  beforeAll(async () => {
    nats = await TcpProxy.start(TEST_NATS_URL);
    // The app reaches NATS through a proxy the test can cut; the test's own bus connects directly.
    app = await startTestApp(probeApp, { env: { NATS_URL: nats.rewrite(TEST_NATS_URL).replace(/\/$/, '') } });
    await eventually(async () => (await app.http('GET', '/health')).status === 200);
  });
  afterAll(async () => {
    await app.close();
    await nats.down();
  });

  it('commits a change and its event together', async () => {
    const events = app.bus.collect(Events.MachineStockLow);
    const res = await app.http('POST', '/probe/items', { name: 'together', remaining: 2 });
    expect(res.body.ok).toBe(true);
    const [event] = await events.waitFor(1);
    expect(event).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      occurredAt: expect.any(String),
      producer: 'card-issuance',
      machineNo: 'together',
      projectId: 'probe',
      item: 'cardCount',
      remaining: 2,
      threshold: 10,
    });
    // The relay marks the row once JetStream has acknowledged it (just after delivery).
    await eventually(async () => (await app.db.query(`SELECT published_at FROM outbox WHERE id = $1`, [event.eventId]))[0].published_at);
    events.stop();
  });

  it('rolls back the event with the change', async () => {
    const events = app.bus.collect(Events.MachineStockLow);
    const res = await app.http('POST', '/probe/items', { name: 'rolled-back', remaining: 2, failAfterEvent: true });
    expect(res.body).toMatchObject({ ok: false, code: 'PROBE_FAILED' });
    expect((await app.db.query(`SELECT count(*)::int AS n FROM probe_item WHERE name = 'rolled-back'`))[0].n).toBe(0);
    expect((await app.db.query(`SELECT count(*)::int AS n FROM outbox WHERE message->>'machineNo' = 'rolled-back'`))[0].n).toBe(0);
    expect(await events.settle(400)).toHaveLength(0);
    events.stop();
  });

  it('keeps serving while NATS is down, then delivers every event once, in order', async () => {
    const events = app.bus.collect(Events.MachineStockLow);
    await nats.down();
    await eventually(async () => (await app.http('GET', '/health')).status === 503);

    const names = ['o1', 'o2', 'o3', 'o4', 'o5'];
    for (const name of names) {
      const res = await app.http('POST', '/probe/items', { name, remaining: 1 });
      expect(res.body.ok).toBe(true);
    }
    expect(await pending()).toBe(5);
    const metrics = await app.http('GET', '/metrics');
    expect(metrics.text).toMatch(/onecard_outbox_backlog\{app="card-issuance"\} 5/);
    expect(metrics.text).toMatch(/onecard_nats_connected\{app="card-issuance"\} 0/);
    expect(await events.settle(300)).toHaveLength(0);

    await nats.up();
    await events.waitFor(5, 20_000);
    await eventually(async () => (await pending()) === 0);
    expect(events.events.map((e) => e.machineNo)).toEqual(names);
    // Exactly once in the stream too (the relay's retries are deduplicated by Nats-Msg-Id).
    const stored = (await app.bus.stored(Events.MachineStockLow)).filter((e) => names.includes(e.machineNo));
    expect(stored.map((e) => e.machineNo)).toEqual(names);
    expect(await events.settle(300)).toHaveLength(5);
    events.stop();
  });
});
