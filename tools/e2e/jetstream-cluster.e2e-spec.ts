import { AckPolicy, JetStreamManager, StreamInfo } from 'nats';
import { Events } from '@onecard/contracts';
import { EventHandlers, ensureEventStream } from '@onecard/messaging';
import { eventually, TestBus } from '@onecard/testing';
import { NatsCluster } from '../nats-cluster/nats-cluster';
import { closeAll, inboxIds, outboxBacklog, RunningApp, startApp, startSupervisionPlatform } from './support/apps';
import { ACCEPTED, becomes, busValidator, Cardholder, kioskIssued, REFUSED } from './support/devices';

const NODES = ['n1', 'n2', 'n3'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The nodes holding a stream's or consumer's copies: its leader and the replicas the leader sees current. */
function placement(cluster: StreamInfo['cluster']): { leader?: string; current: string[] } {
  return { leader: cluster?.leader, current: (cluster?.replicas ?? []).filter((r) => r.current).map((r) => r.name) };
}
const onAllThree = (cluster: StreamInfo['cluster']) => {
  const { leader, current } = placement(cluster);
  return !!leader && [leader, ...current].sort().join() === NODES.join();
};

/**
 * Fault drill: NATS as production runs it, a JetStream cluster of three (nats-server processes of
 * this machine, ports of their own), the apps with NATS_URL listing all three and
 * NATS_STREAM_REPLICAS=3. While a cardholder keeps reporting a card lost and found at campus-card,
 * the node leading the events stream is killed (SIGKILL), then the node the producer's relay is
 * connected to; each comes back and catches up. Every event is stored once and applied once by
 * transit-validation, the outbox drains, and the validator ends on the last word. An app booted
 * while two nodes are away (no quorum) starts its consumers once they are back.
 */
describe('drill: a node of a three-node JetStream cluster killed while events flow', () => {
  let cluster: NatsCluster;
  let bus: TestBus;
  let jsm: JetStreamManager;
  let campus: RunningApp;
  let transit: RunningApp;

  const stream = () => jsm.streams.info(bus.stream);

  beforeAll(async () => {
    cluster = await NatsCluster.start();
    // The apps create the stream, as in production.
    bus = await TestBus.create({ url: cluster.url, createStream: false });
    jsm = await bus.nc.jetstreamManager({ timeout: 2000 });
    const env = { NATS_STREAM_REPLICAS: '3' };
    [campus, transit] = await Promise.all([startApp('campus', bus, { env }), startApp('transit', bus, { env })]);
    await eventually(async () => onAllThree((await stream()).cluster), 20_000);
  }, 60_000);
  afterAll(async () => {
    try {
      await closeAll(campus, transit);
      await bus?.close();
    } finally {
      // Every node killed and its store removed, whatever happened above (and the nodes die with
      // this process should it be killed: see NatsCluster).
      await cluster?.close();
    }
  }, 40_000);

  it('keeps the events stream and every durable consumer on all three nodes', async () => {
    const info = await stream();
    expect(info.config).toMatchObject({ num_replicas: 3, storage: 'file' });
    const durables = [campus, transit].flatMap((app) => app.get(EventHandlers).all().map((h) => h.consumer));
    expect(durables.length).toBeGreaterThan(3);
    // Made without num_replicas (0: the stream's), JetStream places each on the stream's three nodes.
    await eventually(async () => {
      const consumers = await Promise.all(durables.map((name) => jsm.consumers.info(bus.stream, name)));
      return consumers.every((c) => c.config.num_replicas === 0 && onAllThree(c.cluster));
    }, 15_000);
  });

  it('takes an existing stream with one copy to three, its durable consumer along', async () => {
    const name = `${bus.stream}_RAISE`;
    await jsm.streams.add({ name, subjects: [`${bus.prefix}raise.>`], num_replicas: 1 });
    await jsm.consumers.add(name, { durable_name: 'older', ack_policy: AckPolicy.Explicit });
    const lines: string[] = [];
    const log = { log: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };

    await ensureEventStream(jsm, { name, subjects: [`${bus.prefix}raise.>`], replicas: 3 }, log);
    expect(lines).toEqual([`raised stream ${name} from 1 to 3 replicas (NATS_STREAM_REPLICAS); its durable consumers follow`]);
    await eventually(async () => onAllThree((await jsm.streams.info(name)).cluster) && onAllThree((await jsm.consumers.info(name, 'older')).cluster), 15_000);

    // Asked for one again, it stays at three.
    await ensureEventStream(jsm, { name, subjects: [`${bus.prefix}raise.>`], replicas: 1 }, log);
    expect((await jsm.streams.info(name)).config.num_replicas).toBe(3);
    expect(lines[1]).toBe(`stream ${name} has 3 replicas, NATS_STREAM_REPLICAS asks for 1: left at 3 (lower it by hand if that is meant)`);
    await jsm.streams.delete(name);
  });

  it('stores and applies every event once while the stream leader, then the producer’s node, is killed and comes back', async () => {
    const holder = await Cardholder.create(campus);
    const validator = await busValidator(transit, 'BUS-CLUSTER');
    const card = await bus.publish(Events.CardIssued, kioskIssued(holder.userCode));
    await eventually(async () => (await holder.card()).body.entities?.[0]?.cardId === card.uid);
    expect(await becomes(() => validator.check(card.uid), ACCEPTED)).toEqual(ACCEPTED);

    // The holder reports the card lost, found, lost… until told to stop; campus-card answers each at once.
    let reports = 0;
    let flowing = true;
    const flow = (async () => {
      while (flowing) {
        expect((await holder.setLost(card.cardNo, reports % 2 === 0)).body).toEqual({ errno: 0, error: 'success', total: 0 });
        reports++;
        await sleep(120);
      }
    })();
    const applied = async (): Promise<number> => (await transit.db.query(`SELECT count(*)::int AS n FROM inbox WHERE subject = $1`, [Events.CardStatusChanged]))[0].n;
    const relayNodes = () => cluster.nodesOf('campus-card-outbox-relay');
    /** SIGKILLs `node`; events are reported, stored and applied again through the other two; then it comes back and is current. */
    const lose = async (node: string) => {
      const [reportedAtKill, appliedAtKill] = [reports, await applied()];
      await cluster.kill(node);
      // A new leader if it led the stream (JetStream's election: 4–9 s); the relay's connection elsewhere if it was there.
      await eventually(async () => (placement((await stream()).cluster).leader ?? node) !== node, 30_000);
      await eventually(async () => (await relayNodes()).length === 1, 20_000);
      await eventually(async () => reports >= reportedAtKill + 5 && (await applied()) >= Math.max(appliedAtKill, reportedAtKill) + 5, 30_000);
      await cluster.restart(node);
      await eventually(async () => onAllThree((await stream()).cluster), 20_000);
    };

    try {
      await eventually(async () => (await applied()) >= 3);
      // 1. The stream's leader, wherever the apps are connected.
      await lose(placement((await stream()).cluster).leader!);
      // 2. The node the producer's relay publishes through (the leader again, if it is there).
      await lose((await eventually(() => relayNodes().then((nodes) => nodes[0])))!);
    } finally {
      flowing = false;
      await flow;
    }

    // Every report is an event in campus-card's outbox, and the outbox drains.
    const ids = (await campus.db.query(`SELECT message->>'eventId' AS id FROM outbox WHERE subject = $1 ORDER BY seq`, [Events.CardStatusChanged])).map((r: { id: string }) => r.id);
    expect(ids).toHaveLength(reports);
    await eventually(async () => (await outboxBacklog(campus)) === 0, 20_000);
    // Once each on the stream, whatever the relay sent again across a leader change.
    expect((await bus.stored(Events.CardStatusChanged)).map((e) => e.eventId).sort()).toEqual([...ids].sort());
    // Applied once each, none lost: each report turned the card over, so each made a whitelist version.
    await eventually(async () => (await inboxIds(transit, ids)).length === ids.length, 30_000);
    expect(await inboxIds(transit, ids)).toEqual([...ids].sort());
    const [{ versions }] = await transit.db.query(`SELECT count(*)::int AS versions FROM outbox WHERE subject = $1`, [Events.WhitelistChanged]);
    expect(versions).toBe(1 + reports);
    expect(await transit.db.query(`SELECT event_id FROM event_dead_letter`)).toEqual([]);
    // Both nodes that were killed hold every event again, as the third does.
    await eventually(async () => (await outboxBacklog(transit)) === 0, 20_000);
    const { messages, last_seq } = (await stream()).state;
    await eventually(async () => (await Promise.all(NODES.map((n) => cluster.streamState(n, bus.stream)))).every((s) => s?.messages === messages && s.last_seq === last_seq), 20_000);
    // The last word (lost after an odd number of reports) holds at the validator.
    const last = reports % 2 === 1 ? REFUSED : ACCEPTED;
    expect(await becomes(() => validator.check(card.uid), last)).toEqual(last);
  }, 100_000);

  it('starts the consumers of an app booted while JetStream has no quorum once it has one again', async () => {
    const platform = await startSupervisionPlatform();
    const away = NODES.slice(1);
    let attendance: RunningApp | undefined;
    try {
      // One node of three: it takes connections (the app is healthy), but JetStream answers nothing.
      await Promise.all(away.map((node) => cluster.kill(node)));
      attendance = await startApp('attendance', bus, { platformUrl: platform.url, env: { NATS_STREAM_REPLICAS: '3' } });
      await Promise.all(away.map((node) => cluster.restart(node)));
      await eventually(async () => onAllThree((await stream()).cluster), 20_000);

      const lost = await bus.publish(Events.CardStatusChanged, { cardNo: '000100009999', cardId: '04A1B2C3D4E5F6', userCode: 'quorum', lost: true, frozen: false, change: 'lost' });
      const app = attendance;
      await eventually(async () => (await inboxIds(app, [lost.eventId])).length === 1, 30_000);
      expect(await app.db.query(`SELECT card_key, blocked FROM card_block WHERE card_key = $1`, [lost.cardId])).toEqual([{ card_key: lost.cardId, blocked: true }]);
    } finally {
      await closeAll(attendance, platform);
      await Promise.all(away.filter((node) => !cluster.isRunning(node)).map((node) => cluster.restart(node)));
    }
  }, 90_000);
});
