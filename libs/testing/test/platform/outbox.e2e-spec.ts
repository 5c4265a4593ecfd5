import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { BaseConfig } from '@onecard/kernel';
import { Outbox, OUTBOX_EVENTS_PER_ROW, OutboxRelay } from '@onecard/messaging';
import { dataSourceOptions, ensureSchema } from '@onecard/platform';
import { dropSchema, ensureTestDatabase, eventually, startTestApp, TcpProxy, TestApp, TestBus, TEST_DATABASE_URL, TEST_NATS_URL } from '../../src';
import { probeApp } from './probe/probe.app';

/** The transactional outbox against the real Postgres and JetStream, NATS outage included. */
describe('platform: outbox', () => {
  let app: TestApp & { bus: TestBus };
  let nats: TcpProxy;
  const pending = async () => (await app.db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`))[0].n as number;
  /** Nats-Msg-Id of the stored MachineStockLow messages for these machines, in stream order. */
  const msgIds = async (machineNos: string[]): Promise<string[]> => {
    const jsm = await app.bus.nc.jetstreamManager();
    const info = await jsm.streams.info(app.bus.stream);
    const ids: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(app.bus.stream, { seq }).catch(() => undefined);
      if (m && machineNos.includes(m.json<{ machineNo?: string }>().machineNo ?? '')) ids.push(m.header.get('Nats-Msg-Id'));
    }
    return ids;
  };

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

  it('records many events as one batch row holding them as written; each is published as its own message, keyed by its eventId, in the order given', async () => {
    const events = app.bus.collect(Events.MachineStockLow);
    const stockLow = (machineNo: string) => ({ machineNo, projectId: 'probe', item: 'inkCount' as const, remaining: 1, threshold: 5 });
    const sent = await app.db.transaction((manager) => new Outbox(probeApp).addMany(manager, Events.MachineStockLow, ['many-1', 'many-2', 'many-3'].map(stockLow)));
    const rows = await app.db.query(`SELECT batch_size, message::text AS text FROM outbox WHERE message::text LIKE '%"many-1"%'`);
    expect(rows).toEqual([{ batch_size: 3, text: JSON.stringify(sent) }]);
    expect(await events.waitFor(3)).toEqual(sent);
    await eventually(async () => (await app.db.query(`SELECT published_at FROM outbox WHERE message::text LIKE '%"many-1"%'`))[0].published_at);
    expect((await app.db.query(`SELECT published_count FROM outbox WHERE message::text LIKE '%"many-1"%'`))[0].published_count).toBe(3);
    expect(await msgIds(sent.map((m) => m.machineNo))).toEqual(sent.map((m) => m.eventId));
    events.stop();
  });

  it('splits a large batch into rows of OUTBOX_EVENTS_PER_ROW events, published in order', async () => {
    const names = Array.from({ length: OUTBOX_EVENTS_PER_ROW + 2 }, (_, i) => `split-${i}`);
    const events = app.bus.collect(Events.MachineStockLow);
    const sent = await app.db.transaction((manager) =>
      new Outbox(probeApp).addMany(manager, Events.MachineStockLow, names.map((machineNo) => ({ machineNo, projectId: 'probe', item: 'inkCount' as const, remaining: 1, threshold: 5 }))),
    );
    const rows = await app.db.query(`SELECT batch_size FROM outbox WHERE message::text LIKE '%"split-%' ORDER BY seq`);
    expect(rows.map((r: { batch_size: number }) => r.batch_size)).toEqual([OUTBOX_EVENTS_PER_ROW, 2]);
    expect((await events.waitFor(names.length, 20_000)).map((e) => e.eventId)).toEqual(sent.map((m) => m.eventId));
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

  it('publishes from a thread of its own; when that thread dies, health says so, another starts, and later events follow', async () => {
    const relay = app.get(OutboxRelay);
    const first = relay.thread!;
    expect(first.threadId).toBeGreaterThan(0);
    const publishedTotal = async () => Number(/onecard_events_published_total\{app="card-issuance"\} (\d+)/.exec((await app.http('GET', '/metrics')).text)?.[1]);
    const before = await publishedTotal();

    await first.terminate();
    const down = await app.http('GET', '/health');
    expect(down.status).toBe(503);
    expect(down.body.error).toEqual({ outbox_relay: { status: 'down', message: 'relay thread starting' } });
    await eventually(async () => (await app.http('GET', '/health')).status === 200, 15_000);
    expect(relay.thread!.threadId).not.toBe(first.threadId);

    const events = app.bus.collect(Events.MachineStockLow);
    expect((await app.http('POST', '/probe/items', { name: 'after-restart', remaining: 1 })).body.ok).toBe(true);
    const [event] = await events.waitFor(1);
    expect(event.machineNo).toBe('after-restart');
    await eventually(async () => (await pending()) === 0);
    // Counted on this thread from what the relay thread reports.
    expect(await publishedTotal()).toBe(before + 1);
    expect((await app.http('GET', '/metrics')).text).toMatch(/onecard_outbox_relay_restarts_total\{app="card-issuance"\} 1\n/);
    events.stop();
  });

  it('refused mid-batch: the rows behind the refused one are stored once, and it follows once it can be', async () => {
    // The relay pipelines a batch, so rows behind a refused publish may be stored before it; they stay
    // unmarked, are re-sent only after it goes through, and the stream drops those copies. (Asserted
    // on the stream, which consumers read: a plain subscription also sees the dropped copies.)
    const names = ['r1', 'r2', 'r3', 'r4'];
    const stored = async () => (await app.bus.stored(Events.MachineStockLow)).filter((e) => names.includes(e.machineNo)).map((e) => e.machineNo);
    const wire = app.bus.collect(Events.MachineStockLow);
    const sent = (name: string) => wire.events.filter((e) => e.machineNo === name).length;
    const jsm = await app.bus.nc.jetstreamManager();
    const config = (await jsm.streams.info(app.bus.stream)).config;
    const refused = randomUUID();
    try {
      await nats.down();
      await eventually(async () => (await app.http('GET', '/health')).status === 503);
      expect((await app.http('POST', '/probe/items', { name: 'r1', remaining: 1 })).body.ok).toBe(true);
      // A row too large for the stream as configured below, between ordinary ones.
      const big = { eventId: refused, occurredAt: new Date().toISOString(), producer: 'card-issuance', machineNo: 'r2', projectId: 'probe', item: 'cardCount', remaining: 1, threshold: 10, note: 'x'.repeat(2000) };
      await app.db.query(`INSERT INTO outbox (id, subject, message) VALUES ($1, $2, $3)`, [refused, Events.MachineStockLow, JSON.stringify(big)]);
      for (const name of ['r3', 'r4']) expect((await app.http('POST', '/probe/items', { name, remaining: 1 })).body.ok).toBe(true);
      await jsm.streams.update(app.bus.stream, { ...config, max_msg_size: 1024 });
      await nats.up();

      await eventually(async () => (await stored()).length === 3, 20_000);
      expect(await stored()).toEqual(['r1', 'r3', 'r4']);
      // Refused again on the retries, where the refused row goes alone: r3 and r4 are not re-sent meanwhile.
      await eventually(async () => (await app.db.query(`SELECT attempts FROM outbox WHERE id = $1`, [refused]))[0].attempts >= 3);
      expect([sent('r2'), sent('r3'), sent('r4')]).toEqual([expect.any(Number), 1, 1]);
      expect(sent('r2')).toBeGreaterThanOrEqual(3);
      const [row] = await app.db.query(`SELECT published_at, last_error FROM outbox WHERE id = $1`, [refused]);
      expect(row.published_at).toBeNull();
      expect(row.last_error).toMatch(/size/);
      expect(await pending()).toBe(3);
    } finally {
      await jsm.streams.update(app.bus.stream, { ...config, max_msg_size: -1 });
    }
    await eventually(async () => (await pending()) === 0, 20_000);
    // Each exactly once; the refused one after those behind it (the price of pipelining).
    expect(await stored()).toEqual(['r1', 'r3', 'r4', 'r2']);
    wire.stop();
  });
  it('refused before sending (over the server max_payload): nothing behind it is sent, so nothing overtakes it', async () => {
    const names = ['p1', 'p2', 'p3'];
    const stored = async () => (await app.bus.stored(Events.MachineStockLow)).filter((e) => names.includes(e.machineNo)).map((e) => e.machineNo);
    const wire = app.bus.collect(Events.MachineStockLow);
    const sent = (name: string) => wire.events.filter((e) => e.machineNo === name).length;
    const huge = randomUUID();
    const message = { eventId: huge, occurredAt: new Date().toISOString(), producer: 'card-issuance', machineNo: 'huge', projectId: 'probe', item: 'cardCount', remaining: 1, threshold: 10 };
    await nats.down();
    await eventually(async () => (await app.http('GET', '/health')).status === 503);
    expect((await app.http('POST', '/probe/items', { name: 'p1', remaining: 1 })).body.ok).toBe(true);
    const note = 'x'.repeat(app.bus.nc.info!.max_payload + 1000);
    await app.db.query(`INSERT INTO outbox (id, subject, message) VALUES ($1, $2, $3)`, [huge, Events.MachineStockLow, JSON.stringify({ ...message, note })]);
    for (const name of ['p2', 'p3']) expect((await app.http('POST', '/probe/items', { name, remaining: 1 })).body.ok).toBe(true);
    await nats.up();

    await eventually(async () => (await app.db.query(`SELECT attempts FROM outbox WHERE id = $1`, [huge]))[0].attempts >= 3, 20_000);
    expect((await app.db.query(`SELECT last_error FROM outbox WHERE id = $1`, [huge]))[0].last_error).toMatch(/payload/i);
    expect(await stored()).toEqual(['p1']);
    expect([sent('p2'), sent('p3')]).toEqual([0, 0]);
    // An operator removes the event that can never go; those behind it follow, in order.
    await app.db.query(`DELETE FROM outbox WHERE id = $1`, [huge]);
    await eventually(async () => (await stored()).length === 3, 20_000);
    expect(await stored()).toEqual(['p1', 'p2', 'p3']);
    wire.stop();
  });

  it('a batch refused part-way: the backlog counts its events, and it resumes at the refused one, each stored once', async () => {
    const names = ['b1', 'b2', 'b3', 'b4'];
    const stored = async () => (await app.bus.stored(Events.MachineStockLow)).filter((e) => names.includes(e.machineNo)).map((e) => e.machineNo);
    const jsm = await app.bus.nc.jetstreamManager();
    const config = (await jsm.streams.info(app.bus.stream)).config;
    const message = (machineNo: string) => ({ eventId: randomUUID(), occurredAt: new Date().toISOString(), producer: 'card-issuance', machineNo, projectId: 'probe', item: 'cardCount', remaining: 1, threshold: 10 });
    // b2 too large for the stream as configured below.
    const batch = names.map((name) => (name === 'b2' ? { ...message(name), note: 'x'.repeat(2000) } : message(name)));
    const row = async () => (await app.db.query(`SELECT published_count, published_at, last_error, attempts FROM outbox WHERE message::text LIKE '%"b1"%'`))[0];
    try {
      await nats.down();
      await eventually(async () => (await app.http('GET', '/health')).status === 503);
      await app.db.query(`INSERT INTO outbox (id, subject, message, batch_size) VALUES ($1, $2, $3, 4)`, [randomUUID(), Events.MachineStockLow, JSON.stringify(batch)]);
      expect((await app.http('GET', '/metrics')).text).toMatch(/onecard_outbox_backlog\{app="card-issuance"\} 4/);
      expect((await app.admin('GET', '/admin/outbox')).body.data).toEqual({
        total: 1, limit: 100, offset: 0,
        items: [{ seq: expect.any(Number), id: expect.any(String), subject: Events.MachineStockLow, events: 4, published: 0, createdAt: expect.any(String), attempts: 0, lastError: null }],
      });
      await jsm.streams.update(app.bus.stream, { ...config, max_msg_size: 1024 });
      await nats.up();

      await eventually(async () => (await row()).attempts >= 3, 20_000);
      expect(await row()).toMatchObject({ published_count: 1, published_at: null, last_error: expect.stringMatching(/size/) });
      expect(await stored()).toEqual(['b1', 'b3', 'b4']);
      expect((await app.http('GET', '/metrics')).text).toMatch(/onecard_outbox_backlog\{app="card-issuance"\} 3/);
    } finally {
      await jsm.streams.update(app.bus.stream, { ...config, max_msg_size: -1 });
    }
    await eventually(async () => (await row()).published_at !== null, 20_000);
    expect((await row()).published_count).toBe(4);
    expect(await stored()).toEqual(['b1', 'b3', 'b4', 'b2']);
    expect(await msgIds(['b1', 'b3', 'b4', 'b2'])).toEqual([0, 2, 3, 1].map((i) => batch[i].eventId));
  });

  it('two replicas relaying one outbox publish every event once, in commit order across rows (one round at a time per schema)', async () => {
    const other = await startTestApp(probeApp, { env: { DB_SCHEMA: app.schema }, bus: app.bus, keepSchema: true });
    try {
      const message = (machineNo: string) => ({ eventId: randomUUID(), occurredAt: new Date().toISOString(), producer: 'card-issuance', machineNo, projectId: 'probe', item: 'cardCount', remaining: 1, threshold: 10 });
      const rows: string[][] = [];
      await app.db.transaction(async (manager) => {
        for (let r = 0; r < 8; r++) {
          const batch = Array.from({ length: 300 }, (_, i) => message(`two-${r}-${i}`));
          rows.push(batch.map((m) => m.machineNo));
          await manager.query(`INSERT INTO outbox (id, subject, message, batch_size) VALUES ($1, $2, $3, $4)`, [randomUUID(), Events.MachineStockLow, JSON.stringify(batch), batch.length]);
          const single = message(`two-${r}-single`);
          rows.push([single.machineNo]);
          await manager.query(`INSERT INTO outbox (id, subject, message) VALUES ($1, $2, $3)`, [single.eventId, Events.MachineStockLow, JSON.stringify(single)]);
        }
      });
      await eventually(async () => (await pending()) === 0, 30_000);
      const stored = (await app.bus.stored(Events.MachineStockLow)).map((e) => e.machineNo).filter((n) => n.startsWith('two-'));
      expect(stored).toHaveLength(8 * 301);
      expect(new Set(stored).size).toBe(stored.length);
      // Not only each row in order: the rounds of the two relays never interleave.
      expect(stored).toEqual(rows.flat());
    } finally {
      await other.close();
    }
  });

  it('migrating down turns batch rows back into a row per event, published or not as each was', async () => {
    await ensureTestDatabase();
    const schema = `outbox_down_${randomBytes(4).toString('hex')}`;
    await ensureSchema(TEST_DATABASE_URL, schema);
    const db = new DataSource(dataSourceOptions(probeApp, { DATABASE_URL: TEST_DATABASE_URL, DB_SCHEMA: schema, DB_POOL_SIZE: 2 } as BaseConfig));
    await db.initialize();
    try {
      await db.runMigrations({ transaction: 'each' });
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      const texts = ids.map((eventId, i) => `{"eventId":"${eventId}","machineNo":"d${i}"}`);
      await db.query(`INSERT INTO outbox (id, subject, message, batch_size, published_count) VALUES ($1, 'onecard.x.y.z', $2, 3, 1)`, [randomUUID(), `[${texts.join(',')}]`]);
      // Migrations after it (the platform's sealing_key table …) are undone first; they leave the outbox alone.
      const last = async () => ((await db.query(`SELECT name FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1`)) as Array<{ name: string }>)[0].name;
      for (let later = 0; later < 10 && (await last()) !== 'OutboxBatches1733600000000'; later++) await db.undoLastMigration({ transaction: 'each' });
      expect(await last()).toBe('OutboxBatches1733600000000');
      await db.undoLastMigration({ transaction: 'each' });
      const rows = await db.query(`SELECT id, message::text AS text, published_at IS NOT NULL AS published FROM outbox ORDER BY seq`);
      expect(rows).toEqual(ids.map((id, i) => ({ id, text: texts[i], published: i === 0 })));
      await db.runMigrations({ transaction: 'each' });
    } finally {
      await db.destroy();
      await dropSchema(schema);
    }
  });
});
