import { Events } from '@onecard/contracts';
import { formatWireTime } from '@onecard/platform';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { rowCount, ValidatorClient, wireNow } from './validator-client';

const wireTime = (ms: number) => formatWireTime(new Date(ms), 'yyyy-MM-dd HH:mm:ss');

/** What a card_check answers for a valid card and for a lost/frozen/blacklisted one. */
const VALID = { ret_code: 0, ret_msg: '成功', sound_no: 0 };
const INVALID = { ret_code: 2002, sound_no: 2, ret_msg: '卡片已挂失或冻结 (card lost, frozen or blacklisted)' };

describe('transit-validation: whitelist events, online state, oversized fields', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  let bus: ValidatorClient;

  /** The server's current whitelist version (the highest version of any card row). */
  async function currentVersion(): Promise<number> {
    const [{ v }] = await app.db.query(`SELECT coalesce(max(version), 0)::int AS v FROM whitelist_card`);
    return v;
  }

  /** The device loads the current version and says so in its heartbeat; returns that version. */
  async function deviceAtCurrentVersion(): Promise<number> {
    const v = String(await currentVersion());
    const hb = (await eventually(async () => {
      const res = await bus.heartbeat({ version_code_all: v, version_code_add: v });
      return res.body.version_code_add === v ? res : undefined;
    }, 5000))!;
    expect(hb.body).toMatchObject({ ret_code: 0, version_code_all: v, version_code_add: v });
    return Number(v);
  }

  /** Publishes another service's event and returns the whitelist.changed it caused. */
  /**
   * The whitelist.changed the published event caused: the first one past the version before it
   * (an earlier change's event may still be on its way out of the outbox).
   */
  async function publishChange(publish: () => Promise<unknown>): Promise<{ version: number; changedCards: number }> {
    const before = await currentVersion();
    const changed = app.bus.collect(Events.WhitelistChanged);
    try {
      await publish();
      for (let seen = 1; ; seen++) {
        const mine = (await changed.waitFor(seen)).find((event) => event.version > before);
        if (mine) return mine;
      }
    } finally {
      changed.stop();
    }
  }

  async function row(cardNo: string): Promise<Record<string, unknown>> {
    const [r] = await app.db.query(`SELECT flag, version::int, removed, line_ids, source, account_no FROM whitelist_card WHERE card_no = $1`, [cardNo]);
    return r;
  }

  /** Polls card_check until the answer's ret_code is `retCode` (this replica's copy follows the database within moments). */
  async function checkUntil(cardId: string, retCode: number): Promise<Record<string, unknown>> {
    const res = await eventually(async () => {
      const r = await bus.cardCheck(cardId);
      return r.body.ret_code === retCode ? r : undefined;
    }, 5000).catch(async () => bus.cardCheck(cardId));
    return res!.body;
  }

  async function incremental(reqId: string): Promise<Record<string, unknown>> {
    return (await bus.call('/get_card_list', { req_id: reqId, type: 2 })).body;
  }

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp, { env: { TRANSIT_HEARTBEAT_FLUSH_MS: '20' } });
    bus = await (await new ValidatorClient(app, 'BUS-W1', 'L1').register()).login();
    for (const card of ['F0F0F0F1', 'F0F0F0F2', 'F0F0F0F4']) {
      expect((await app.admin('POST', '/admin/cards', { card_no: card, flag: 1 })).body).toMatchObject({ ret_code: 0, changed: true });
    }
    expect((await app.admin('POST', '/admin/cards', { card_no: 'F0F0F0F3', flag: 1, line_ids: ['L1'] })).body).toMatchObject({ ret_code: 0, changed: true });
    for (const card of ['F0F0F0F1', 'F0F0F0F2', 'F0F0F0F3', 'F0F0F0F4']) expect(await checkUntil(card, 0)).toEqual({ req_id: `cc-${card}`, ...VALID });
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['frozen then thawed', 'F0F0F0F1', { lost: false, frozen: true, change: 'frozen' }, { lost: false, frozen: false, change: 'thawed' }],
    ['lost then found', 'F0F0F0F2', { lost: true, frozen: false, change: 'lost' }, { lost: false, frozen: false, change: 'found' }],
  ] as const)('campus-card card.status-changed: a card %s is invalid, then valid again', async (_name, cardId, off, on) => {
    const base = { cardNo: `ACC-${cardId}`, cardId, userCode: `U-${cardId}` };
    const v0 = await deviceAtCurrentVersion();

    const offEvent = await publishChange(() => app.bus.publish(Events.CardStatusChanged, { ...base, ...off }));
    expect(offEvent).toMatchObject({ version: v0 + 1, changedCards: 1 });
    expect(await incremental('inc-off')).toEqual({
      req_id: 'inc-off', enterprise_id: '398', ret_code: 0, ret_msg: '成功', version: String(v0 + 1), time: expect.any(Number),
      list: [{ card_no: cardId, flag: 0 }],
    });
    expect(await checkUntil(cardId, INVALID.ret_code)).toEqual({ req_id: `cc-${cardId}`, ...INVALID });
    expect(await row(cardId)).toMatchObject({ flag: 0, version: v0 + 1, removed: false, source: 'card.status-changed', account_no: `ACC-${cardId}` });

    // The device loads that change; the card comes back at a later version.
    const v1 = await deviceAtCurrentVersion();
    expect(v1).toBe(v0 + 1);
    const onEvent = await publishChange(() => app.bus.publish(Events.CardStatusChanged, { ...base, ...on }));
    expect(onEvent).toMatchObject({ version: v1 + 1, changedCards: 1 });
    // The heartbeat tells the device there is something to fetch.
    const hb = await eventually(async () => {
      const res = await bus.heartbeat({ version_code_all: String(v0), version_code_add: String(v1) });
      return res.body.version_code_add === String(v1 + 1) ? res : undefined;
    }, 5000);
    expect(hb!.body).toMatchObject({ ret_code: 0, version_code_add: String(v1 + 1) });
    expect(await incremental('inc-on')).toEqual({
      req_id: 'inc-on', enterprise_id: '398', ret_code: 0, ret_msg: '成功', version: String(v1 + 1), time: expect.any(Number),
      list: [{ card_no: cardId, flag: 1 }],
    });
    expect(await checkUntil(cardId, 0)).toEqual({ req_id: `cc-${cardId}`, ...VALID });
    expect(await row(cardId)).toMatchObject({ flag: 1, version: v1 + 1, removed: false, source: 'card.status-changed' });
  });

  it('campus-card: a card lost AND frozen stays invalid when only found, and is valid once thawed too', async () => {
    const cardId = 'F0F0F0F4';
    const base = { cardNo: 'ACC-4', cardId, userCode: 'U-4' };
    const v0 = await deviceAtCurrentVersion();
    await publishChange(() => app.bus.publish(Events.CardStatusChanged, { ...base, lost: true, frozen: false, change: 'lost' }));
    const frozenToo = await app.bus.publish(Events.CardStatusChanged, { ...base, lost: true, frozen: true, change: 'frozen' });
    const found = await app.bus.publish(Events.CardStatusChanged, { ...base, lost: false, frozen: true, change: 'found' });
    await eventually(async () => (await rowCount(app, `SELECT 1 FROM inbox WHERE event_id = ANY($1)`, [[frozenToo.eventId, found.eventId]])) === 2);
    // Neither the second flag nor clearing only one of them changed the card: still flag 0 at v0 + 1.
    expect(await row(cardId)).toMatchObject({ flag: 0, version: v0 + 1 });
    expect(await checkUntil(cardId, INVALID.ret_code)).toEqual({ req_id: `cc-${cardId}`, ...INVALID });
    expect((await incremental('inc-still')).list).toEqual([{ card_no: cardId, flag: 0 }]);

    const thawed = await publishChange(() => app.bus.publish(Events.CardStatusChanged, { ...base, lost: false, frozen: false, change: 'thawed' }));
    expect(thawed.version).toBeGreaterThan(v0 + 1);
    expect(await row(cardId)).toMatchObject({ flag: 1, version: thawed.version });
    expect(await checkUntil(cardId, 0)).toEqual({ req_id: `cc-${cardId}`, ...VALID });
  });

  it('tuya-bridge card.changed: cardStatus 2 (frozen) makes a listed card invalid, cardStatus 1 valid again, its lines kept', async () => {
    const cardId = 'F0F0F0F3';
    const tuya = { projectId: 'P1', personId: 'person-3', personCardId: 'pc-3', cardNo: 'f0f0 f0f3', change: 'updated' } as const;
    const v0 = await deviceAtCurrentVersion();

    const frozen = await publishChange(() => app.bus.publish(Events.TuyaCardChanged, { ...tuya, cardStatus: 2 }));
    expect(frozen).toMatchObject({ version: v0 + 1, changedCards: 1 });
    expect(await incremental('tuya-off')).toMatchObject({ ret_code: 0, version: String(v0 + 1), list: [{ card_no: cardId, flag: 0 }] });
    expect(await checkUntil(cardId, INVALID.ret_code)).toEqual({ req_id: `cc-${cardId}`, ...INVALID });
    expect(await row(cardId)).toMatchObject({ flag: 0, version: v0 + 1, removed: false, line_ids: ['L1'], source: 'card.changed' });
    // A tap at a time of its own (the same device, card, time and answer is one tap, stored and published once).
    const checks = app.bus.collect(Events.CardChecked);
    const refusedAt = Math.floor((Date.now() - 30_000) / 1000) * 1000;
    expect((await bus.cardCheck(cardId, wireTime(refusedAt))).body).toEqual({ req_id: `cc-${cardId}`, ...INVALID });

    const v1 = await deviceAtCurrentVersion();
    const normal = await publishChange(() => app.bus.publish(Events.TuyaCardChanged, { ...tuya, cardStatus: 1 }));
    expect(normal).toMatchObject({ version: v1 + 1, changedCards: 1 });
    expect(await incremental('tuya-on')).toMatchObject({ ret_code: 0, version: String(v1 + 1), list: [{ card_no: cardId, flag: 1 }] });
    expect(await checkUntil(cardId, 0)).toEqual({ req_id: `cc-${cardId}`, ...VALID });
    expect(await row(cardId)).toMatchObject({ flag: 1, version: v1 + 1, line_ids: ['L1'], source: 'card.changed' });
    const acceptedAt = refusedAt + 10_000;
    expect((await bus.cardCheck(cardId, wireTime(acceptedAt))).body).toEqual({ req_id: `cc-${cardId}`, ...VALID });
    // Still on its line's list.
    expect((await bus.call('/get_line_card_list', { req_id: 'line' })).body.list).toEqual([{ card_no: cardId, flag: 1 }]);

    // Integrators saw the refusal and the acceptance, each at its tap's time.
    const taps = () => checks.events.filter((e) => [refusedAt, acceptedAt].includes(Date.parse(e.checkedAt)));
    await eventually(() => taps().length >= 2, 5000).catch(() => undefined);
    await checks.settle(300);
    checks.stop();
    expect(taps().map((e) => [e.cardId, e.outcome, e.mode, e.deviceId, Date.parse(e.checkedAt)])).toEqual([
      [cardId, 'invalid', 'online', 'BUS-W1', refusedAt],
      [cardId, 'valid', 'online', 'BUS-W1', acceptedAt],
    ]);
  });

  it(
    'reports a device offline once its heartbeats stop for longer than max(3 × heartbeat_interval, 15 s)',
    async () => {
      const device = await (await new ValidatorClient(app, 'BUS-W9', 'L9').register()).login();
      const view = async () => (await app.admin('GET', '/admin/devices/BUS-W9')).body;
      // Never heard from: offline.
      expect(await view()).toMatchObject({ ret_code: 0, online: false, last_seen_time: null, heartbeat_interval: 5 });

      const sentAt = Date.now();
      expect((await device.heartbeat()).body.ret_code).toBe(0);
      const online = await eventually(async () => {
        const shown = await view();
        return shown.online === true ? shown : undefined;
      }, 3000);
      expect(online).toMatchObject({ online: true, last_seen_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) });
      const listed = await app.admin('GET', '/admin/devices?line_id=L9');
      expect(listed.body.items).toEqual([expect.objectContaining({ device_id: 'BUS-W9', online: true })]);

      // No more heartbeats. heartbeat_interval 5 → 3 × 5 = 15 s: online until then, offline after.
      const offline = (await eventually(async () => {
        const shown = await view();
        return shown.online === false ? { shown, at: Date.now() } : undefined;
      }, 25_000, 250))!;
      const silentFor = offline.at - sentAt;
      expect(silentFor).toBeGreaterThanOrEqual(14_900);
      expect(silentFor).toBeLessThan(20_000);
      // It is remembered when it was last seen.
      expect(offline.shown).toMatchObject({ online: false, last_seen_time: online!.last_seen_time });
      expect((await app.admin('GET', '/admin/devices?line_id=L9')).body.items).toEqual([expect.objectContaining({ device_id: 'BUS-W9', online: false })]);

      // The threshold follows the configured interval: at 10 s (30 s) the same silence is still online.
      expect((await app.admin('PUT', '/admin/devices/BUS-W9/config', { heartbeat_interval: 10 })).body).toMatchObject({ ret_code: 0, heartbeat_interval: 10 });
      expect(await view()).toMatchObject({ online: true });
      await app.admin('PUT', '/admin/devices/BUS-W9/config', { heartbeat_interval: 5 });
      expect(await view()).toMatchObject({ online: false });

      // A new heartbeat brings it back.
      await device.heartbeat();
      await eventually(async () => (await view()).online === true, 3000);
    },
    45_000,
  );

  it('refuses an oversized card_id or qr_code naming the field, and changes nothing', async () => {
    await new Promise((r) => setTimeout(r, 200));
    const snapshot = async () => {
      const out: Record<string, number> = { version: await currentVersion() };
      for (const table of ['card_check', 'ticket_check', 'qr_ticket_use', 'qrcode_log', 'card_check_log', 'outbox', 'whitelist_card']) {
        out[table] = await rowCount(app, `SELECT 1 FROM ${table}`);
      }
      return out;
    };
    const cardEvents = app.bus.collect(Events.CardChecked);
    const ticketEvents = app.bus.collect(Events.TicketChecked);
    const before = await snapshot();

    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      // Over the DTO's limit (64) …
      ['/card_check', { check_mode: 0, card_id: 'A'.repeat(65), time: wireNow() }, /^card_id must be shorter than or equal to 64 characters$/],
      // … and over a card number's (32) within it.
      ['/card_check', { check_mode: 0, card_id: 'B'.repeat(33), time: wireNow() }, /^card_id must be 1–32 letters or digits$/],
      ['/ticket_check', { check_mode: 0, qr_code: 'Q'.repeat(513), time: wireNow() }, /^qr_code must be shorter than or equal to 512 characters$/],
      ['/ticket_check', { check_mode: 1, qr_code: 'Q'.repeat(10_000), time: wireNow() }, /^qr_code must be shorter than or equal to 512 characters$/],
    ];
    for (const [path, fields, message] of cases) {
      const res = await bus.call(path, { req_id: 'big', ...fields });
      expect([path, res.status, res.body]).toEqual([path, 200, { req_id: 'big', ret_code: 1001, ret_msg: expect.stringMatching(message), sound_no: 0 }]);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await snapshot()).toEqual(before);
    expect(cardEvents.events).toEqual([]);
    expect(ticketEvents.events).toEqual([]);

    // At the limits the calls are judged (and recorded) as checks, not refused as input.
    expect((await bus.cardCheck('C'.repeat(32))).body).toMatchObject({ ret_code: 2001, sound_no: 1 });
    expect((await bus.ticketCheck('Q'.repeat(512))).body).toMatchObject({ ret_code: 3002, sound_no: 6 });
    await eventually(async () => (await rowCount(app, `SELECT 1 FROM card_check WHERE card_id = $1`, ['C'.repeat(32)])) === 1, 3000);
    expect(await rowCount(app, `SELECT 1 FROM ticket_check`)).toBe(before.ticket_check + 1);
    cardEvents.stop();
    ticketEvents.stop();
  });
});
