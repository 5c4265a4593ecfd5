import { randomUUID } from 'node:crypto';
import { Events } from '@onecard/contracts';
import { eventually, startTestApp, TestApp, TestBus } from '../../src';
import { ISSUED_CONSUMER } from './probe/consumer-helpers';
import { probeApp } from './probe/probe.app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CHECKED_CONSUMER = 'card-issuance__onecard_transit-validation_card_checked';
const TUYA_CONSUMER = 'card-issuance__onecard_tuya-bridge_card_changed';
/** A subject no stream is bound to: the relay cannot publish a row of it. */
const NOWHERE = 'onecard.card-issuance.nothing.listens';
const stockLow = (machineNo: string) => ({
  eventId: randomUUID(), occurredAt: new Date().toISOString(), producer: 'card-issuance', machineNo, projectId: 'probe', item: 'cardCount', remaining: 1, threshold: 10,
});

/**
 * The platform's operator lists as a console reads them: GET /admin/events (dead letters, filtered
 * by status, subject, consumer and since) and GET /admin/outbox, both `{total, limit, offset, items}`
 * in the app's envelope, and their refusals naming the field.
 */
describe('platform: admin lists', () => {
  let app: TestApp & { bus: TestBus };
  const get = async (path: string) => {
    const res = await app.admin('GET', path);
    return { status: res.status, body: res.body };
  };
  const page = (total: number, items: unknown[], limit = 100, offset = 0) => ({ status: 200, body: { ok: true, data: { total, limit, offset, items } } });
  const refused = (message: string) => ({ status: 400, body: { ok: false, kind: 'INVALID_INPUT', code: 'INVALID_INPUT', message } });
  /** One unreadable message per subject the probe consumes: a dead letter each, at once. */
  const letter = (consumer: string, subject: string) => ({
    id: expect.any(Number), status: 'dead', consumer, subject, eventId: null, reason: 'invalid', error: 'message is not JSON', deliveries: 1,
    streamSeq: expect.any(Number), deadAt: expect.stringMatching(ISO), replays: 0, lastReplayAt: null, message: 'not json',
  });
  let issued: ReturnType<typeof letter>;
  let checked: ReturnType<typeof letter>;
  let tuya: ReturnType<typeof letter>;

  beforeAll(async () => {
    app = await startTestApp(probeApp);
    for (const subject of [Events.CardIssued, Events.CardChecked, Events.TuyaCardChanged]) {
      await app.bus.publishRaw(subject, 'not json');
      // One at a time, so the letters' ids (newest first) follow the subjects' order.
      await eventually(async () => (await app.db.query(`SELECT 1 FROM event_dead_letter WHERE subject = $1`, [subject])).length === 1);
    }
    // The CardIssued letter died yesterday.
    await app.db.query(`UPDATE event_dead_letter SET dead_at = now() - interval '1 day' WHERE subject = $1`, [Events.CardIssued]);
    [tuya, checked, issued] = (await get('/admin/events')).body.data.items;
  });
  afterAll(() => app?.close());

  it('lists dead letters newest first, paged, with the total of all that match', async () => {
    expect(await get('/admin/events')).toEqual(page(3, [letter(TUYA_CONSUMER, Events.TuyaCardChanged), letter(CHECKED_CONSUMER, Events.CardChecked), letter(ISSUED_CONSUMER, Events.CardIssued)]));
    expect(await get('/admin/events?status=dead&limit=1&offset=1')).toEqual(page(3, [checked], 1, 1));
    expect(await get('/admin/events?limit=2&offset=5')).toEqual(page(3, [], 2, 5));
    expect(await get('/admin/events?status=replayed')).toEqual(page(0, []));
  });

  it('filters by subject and consumer (exact) and since (when the letter died), together or alone', async () => {
    expect(await get(`/admin/events?subject=${Events.CardChecked}`)).toEqual(page(1, [checked]));
    expect(await get(`/admin/events?consumer=${TUYA_CONSUMER}`)).toEqual(page(1, [tuya]));
    expect(await get(`/admin/events?subject=${Events.CardChecked}&consumer=${TUYA_CONSUMER}`)).toEqual(page(0, []));
    expect(await get('/admin/events?subject=onecard.card-issuance')).toEqual(page(0, []));
    const hourAgo = new Date(Date.now() - 3_600_000);
    expect(await get(`/admin/events?since=${hourAgo.toISOString()}`)).toEqual(page(2, [tuya, checked]));
    // The same instant in the wire zone's own offset.
    const shanghai = new Date(hourAgo.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    expect(await get(`/admin/events?since=${encodeURIComponent(shanghai)}`)).toEqual(page(2, [tuya, checked]));
    expect(await get(`/admin/events?since=${hourAgo.toISOString()}&subject=${Events.CardIssued}`)).toEqual(page(0, []));
    expect(await get(`/admin/events?since=${issued.deadAt}&consumer=${ISSUED_CONSUMER}`)).toEqual(page(1, [issued]));
    expect(await get(`/admin/events?status=replayed&subject=${Events.CardChecked}`)).toEqual(page(0, []));
  });

  it('refuses a bad filter or page in the envelope, naming the field, and changes nothing', async () => {
    const before = await app.db.query(`SELECT * FROM event_dead_letter ORDER BY id`);
    const cases: Array<[string, string]> = [
      ['/admin/events?limit=0', 'limit must be 1 or more'],
      ['/admin/events?limit=1001', 'limit must be at most 1000'],
      ['/admin/events?limit=ten', 'limit must be an integer'],
      ['/admin/events?offset=-1', 'offset must be 0 or more'],
      ['/admin/events?cursor=5', 'cursor: unknown field'],
      ['/admin/events?since=2026-12-01', 'since must be an ISO 8601 time with its zone, such as 2026-12-01T08:00:00Z'],
      ['/admin/events?since=2026-02-30T00:00:00Z', 'since must be an ISO 8601 time with its zone, such as 2026-12-01T08:00:00Z'],
      ['/admin/events?subject=onecard.*', 'subject must be an event subject such as onecard.card-issuance.card.issued'],
      ['/admin/events?consumer=a.b', 'consumer must be a consumer name such as campus-card__onecard_card-issuance_card_issued'],
      ['/admin/events?status=gone', 'status must be dead or replayed'],
      ['/admin/outbox?limit=0', 'limit must be 1 or more'],
      ['/admin/outbox?subject=a%20b', 'subject must be an event subject such as onecard.card-issuance.card.issued'],
    ];
    for (const [path, message] of cases) expect({ path, ...(await get(path)) }).toEqual({ path, ...refused(message) });
    expect(await app.db.query(`SELECT * FROM event_dead_letter ORDER BY id`)).toEqual(before);
  });

  it('lists the outbox rows waiting, oldest first, each with its events, attempts and why the last publish failed', async () => {
    expect(await get('/admin/outbox')).toEqual(page(0, []));
    // A row no stream takes (its subject is bound to none) stops the relay; those behind it wait their turn.
    const stuck = randomUUID();
    await app.db.query(`INSERT INTO outbox (id, subject, message) VALUES ($1, $2, $3)`, [stuck, NOWHERE, JSON.stringify({ eventId: stuck })]);
    await eventually(async () => (await app.db.query(`SELECT attempts FROM outbox WHERE id = $1`, [stuck]))[0].attempts >= 1);
    const single = stockLow('single');
    const batch = ['b1', 'b2', 'b3'].map(stockLow);
    await app.db.query(`INSERT INTO outbox (id, subject, message) VALUES ($1, $2, $3)`, [single.eventId, Events.MachineStockLow, JSON.stringify(single)]);
    const batchId = randomUUID();
    await app.db.query(`INSERT INTO outbox (id, subject, message, batch_size) VALUES ($1, $2, $3, 3)`, [batchId, Events.MachineStockLow, JSON.stringify(batch)]);

    const row = (id: string, subject: string, events: number, fields: Record<string, unknown> = {}) => ({
      seq: expect.any(Number), id, subject, events, published: 0, createdAt: expect.stringMatching(ISO), attempts: 0, lastError: null, ...fields,
    });
    const failing = row(stuck, NOWHERE, 1, { attempts: expect.any(Number), lastError: expect.any(String) });
    const rows = await get('/admin/outbox');
    expect(rows).toEqual(page(3, [failing, row(single.eventId, Events.MachineStockLow, 1), row(batchId, Events.MachineStockLow, 3)]));
    const seqs = rows.body.data.items.map((r: { seq: number }) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(rows.body.data.items[0].attempts).toBeGreaterThanOrEqual(1);
    expect(await get('/admin/outbox?limit=1&offset=2')).toEqual(page(3, [row(batchId, Events.MachineStockLow, 3)], 1, 2));
    expect(await get(`/admin/outbox?subject=${Events.MachineStockLow}`)).toEqual(page(2, [row(single.eventId, Events.MachineStockLow, 1), row(batchId, Events.MachineStockLow, 3)]));
    expect(await get(`/admin/outbox?subject=${NOWHERE}&limit=5`)).toEqual(page(1, [failing], 5));

    // An operator takes out the row that can never go: the rest follow.
    await app.db.query(`DELETE FROM outbox WHERE id = $1`, [stuck]);
    await eventually(async () => (await get('/admin/outbox')).body.data.total === 0, 20_000);
    expect(await get('/admin/outbox')).toEqual(page(0, []));
  });
});
