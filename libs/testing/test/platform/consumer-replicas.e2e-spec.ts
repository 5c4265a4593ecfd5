import { randomBytes } from 'node:crypto';
import { Events } from '@onecard/contracts';
import { dropSchema, eventually, startTestApp, TestApp, TestBus } from '../../src';
import { probeApp } from './probe/probe.app';
import { checked, issued, mostAtOnce, retryEnv } from './probe/consumer-helpers';
import { ProbeConsumers } from './probe/probe.consumers';

/**
 * Replicas share one durable consumer per subject: the delivery limit and `parallel` hold for all
 * of them together, and across a replica's restart, because JetStream keeps the counts.
 */
describe('platform: a consumer shared by replicas', () => {
  let bus: TestBus;
  const schema = `platform_probe_r${randomBytes(4).toString('hex')}`;
  const replicas: Array<TestApp & { bus: TestBus }> = [];
  const startReplica = async () => replicas.push(await startTestApp(probeApp, { bus, env: { ...retryEnv, DB_SCHEMA: schema }, keepSchema: true }));
  const db = () => replicas[0].db;
  const replicaOf = (app: TestApp) => app.get(ProbeConsumers).replica;
  const attempts = async (eventId: string): Promise<string[]> =>
    (await db().query(`SELECT replica FROM probe_attempt WHERE event_id = $1 ORDER BY id`, [eventId])).map((r: { replica: string }) => r.replica);
  const deadEventIds = async (): Promise<string[]> => (await db().query(`SELECT event_id FROM event_dead_letter WHERE status = 'dead'`)).map((r: { event_id: string }) => r.event_id);
  const alwaysFailing = async (orderId: string) => {
    await db().query(`INSERT INTO probe_failure_plan (order_id, failures) VALUES ($1, -1)`, [orderId]);
    return bus.publish(Events.CardIssued, { ...issued, orderId });
  };

  beforeAll(async () => {
    bus = await TestBus.create();
    await startReplica();
    await startReplica();
  });
  afterAll(async () => {
    for (const app of replicas) await app.close();
    await dropSchema(schema);
    await bus.close();
  });

  it('never runs a handler more than maxDeliveries times, whichever replica takes each delivery', async () => {
    const events = [await alwaysFailing('R-1'), await alwaysFailing('R-2')];
    await eventually(async () => (await deadEventIds()).length === 2, 25_000);
    await new Promise((r) => setTimeout(r, 1000));
    for (const event of events) expect(await attempts(event.eventId)).toHaveLength(5);
    expect((await deadEventIds()).sort()).toEqual(events.map((e) => e.eventId).sort());
  }, 30_000);

  it('keeps counting across a restart: the replica that failed the event stops, the others finish its five', async () => {
    const event = await alwaysFailing('R-4');
    const [first, second] = await eventually(async () => {
      const seen = await attempts(event.eventId);
      return seen.length >= 2 ? seen : undefined;
    }) as string[];
    // Restart the replica that failed it last: stop it and start a new one while the event waits.
    const stopping = replicas.findIndex((app) => replicaOf(app) === second);
    const [stopped] = replicas.splice(stopping, 1);
    await stopped.close();
    await startReplica();
    await eventually(async () => (await deadEventIds()).includes(event.eventId), 15_000);
    await new Promise((r) => setTimeout(r, 1000));
    const all = await attempts(event.eventId);
    expect(all).toHaveLength(5);
    expect(all.slice(0, 2)).toEqual([first, second]);
    expect(new Set(all).size).toBeGreaterThanOrEqual(2);
    const [letter] = await db().query(`SELECT deliveries, reason FROM event_dead_letter WHERE event_id = $1`, [event.eventId]);
    expect(letter).toEqual({ deliveries: 5, reason: 'failed' });
  }, 30_000);

  it('holds `parallel: 4` for all replicas together', async () => {
    for (let n = 0; n < 12; n++) await bus.publish(Events.CardChecked, { ...checked, cardId: `R${n}` });
    const rows = await eventually(async () => {
      const r = await db().query(`SELECT started_at, finished_at FROM probe_checked`);
      return r.length === 12 && r;
    });
    const most = mostAtOnce(rows);
    expect(most).toBeGreaterThanOrEqual(2);
    expect(most).toBeLessThanOrEqual(4);
  });
});
