import { createPublicKey, verify } from 'node:crypto';
import { Events } from '@onecard/contracts';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { rowCount, ValidatorClient, wireNow } from './validator-client';

/** The heartbeat answer's fields, exactly as the document's table lists them, and the one extension. */
const HEARTBEAT_FIELDS = [
  'req_id', 'enterprise_id', 'ret_code', 'ret_msg', 'server_time', 'version_code', 'check_mode', 'check_card_mode', 'qrcode_mode',
  'card_mode', 'white_mode', 'version_code_all', 'version_code_add', 'line_version_code_all', 'is_line_white',
  'check_start_time_format', 'check_end_time_format',
  // The one extension (README): the heartbeat interval the document says can be changed remotely.
  'report_interval',
];
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('transit-validation: a validator day', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  let bus1: ValidatorClient;
  let bus2: ValidatorClient;

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp);
    bus1 = await new ValidatorClient(app, 'BUS-0001', 'L1').register();
    bus2 = await new ValidatorClient(app, 'BUS-0002', 'L2').register();
    for (const card of [
      { card_no: 'A1B2C3D4', flag: 1, line_ids: ['L1'] },
      { card_no: '0a0b 0c0d', flag: 1 },
      { card_no: 'DEADBEEF', flag: 0 },
    ]) {
      const res = await app.admin('POST', '/admin/cards', card);
      expect(res.body).toMatchObject({ ret_code: 0, changed: true });
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it('token → heartbeat → full list → frozen by event → incremental → checks before and after', async () => {
    const token = await app.http('POST', '/get_token', bus1.signedTokenRequest());
    expect(token.status).toBe(200);
    expect(token.body).toEqual({ req_id: 'tok-1', ret_code: 0, ret_msg: '成功', token: expect.any(String), expires_in: 7200 });
    bus1.token = token.body.token;
    await bus2.login();

    // First heartbeat: the device holds no list yet.
    const hb = await bus1.heartbeat();
    expect(Object.keys(hb.body).sort()).toEqual([...HEARTBEAT_FIELDS].sort());
    expect(hb.body).toMatchObject({
      req_id: 'hb', enterprise_id: '398', ret_code: 0, ret_msg: '成功', check_mode: 0, check_card_mode: 0, qrcode_mode: 1, card_mode: 1,
      white_mode: 1, is_line_white: 0, version_code: expect.stringMatching(/^\d{10}$/), line_version_code_all: expect.stringMatching(/^\d+$/),
    });
    expect(hb.body.server_time).toMatch(/^\d{12}$/);
    expect(hb.body.check_start_time_format).toMatch(/^\d{4}-\d{2}-\d{2} 00:00:00$/);
    expect(hb.body.check_end_time_format).toMatch(/^\d{4}-\d{2}-\d{2} 23:59:59$/);
    const v1 = hb.body.version_code_add;
    expect(v1).toMatch(/^\d+$/);
    expect(hb.body.version_code_all).toBe(v1);

    // Full list, streamed, in the document's envelope.
    const full = await bus1.call('/get_card_list', { req_id: 'full-1', type: 1 });
    expect(full.headers.get('content-type')).toContain('application/json');
    expect(full.body).toEqual({
      req_id: 'full-1', enterprise_id: '398', ret_code: 0, ret_msg: '成功', version: v1, time: expect.any(Number),
      list: [
        { card_no: '0A0B0C0D', flag: 1 },
        { card_no: 'A1B2C3D4', flag: 1 },
        { card_no: 'DEADBEEF', flag: 0 },
      ],
    });

    // The device loaded v1 and says so; nothing to fetch.
    const hb2 = await bus1.heartbeat({ version_code_all: v1, version_code_add: v1 });
    expect(hb2.body).toMatchObject({ version_code_all: v1, version_code_add: v1 });

    const checks = app.bus.collect(Events.CardChecked);
    const before = await bus1.cardCheck('a1b2c3d4');
    expect(before.body).toEqual({ req_id: 'cc-a1b2c3d4', ret_code: 0, ret_msg: '成功', sound_no: 0 });

    // campus-card freezes the card.
    const changed = app.bus.collect(Events.WhitelistChanged);
    await app.bus.publish(Events.CardStatusChanged, { cardNo: '2024001', cardId: 'A1B2C3D4', userCode: 'U1', lost: false, frozen: true, change: 'frozen' });
    const [event] = await changed.waitFor(1);
    expect(event).toMatchObject({ producer: 'transit-validation', version: Number(v1) + 1, changedCards: 1 });

    const incremental = await bus1.call('/get_card_list', { req_id: 'inc-1', type: 2 });
    expect(incremental.body).toEqual({
      req_id: 'inc-1', enterprise_id: '398', ret_code: 0, ret_msg: '成功', version: String(Number(v1) + 1), time: expect.any(Number),
      list: [{ card_no: 'A1B2C3D4', flag: 0 }],
    });
    const hb3 = await bus1.heartbeat({ version_code_all: v1, version_code_add: v1 });
    expect(hb3.body).toMatchObject({ version_code_all: v1, version_code_add: String(Number(v1) + 1) });

    const after = (await eventually(async () => {
      const res = await bus1.cardCheck('A1B2C3D4');
      return res.body.ret_code !== 0 ? res : undefined;
    }, 3000))!;
    expect(after.body).toEqual({ req_id: 'cc-A1B2C3D4', ret_code: 2002, sound_no: 2, ret_msg: expect.stringContaining('冻结') });

    const unknown = await bus1.cardCheck('FFFF0000');
    expect(unknown.body).toMatchObject({ ret_code: 2001, sound_no: 1 });

    // Every check is published for integrators.
    const published = await checks.waitFor(3);
    expect(published.map((e) => [e.cardId, e.outcome, e.mode, e.deviceId, e.lineId])).toEqual(
      expect.arrayContaining([
        ['A1B2C3D4', 'valid', 'online', 'BUS-0001', 'L1'],
        ['A1B2C3D4', 'invalid', 'online', 'BUS-0001', 'L1'],
        ['FFFF0000', 'not-listed', 'online', 'BUS-0001', 'L1'],
      ]),
    );
    // Heartbeats end up in the history and the device's latest state.
    await eventually(async () => (await rowCount(app, `SELECT 1 FROM location_report WHERE device_id = 'BUS-0001'`)) === 3);
    const [status] = await app.db.query(`SELECT lng, lat, speed, version_code_add FROM device_status WHERE device_id = 'BUS-0001'`);
    expect(status).toEqual({ lng: 114.057868, lat: 22.543099, speed: 32.5, version_code_add: v1 });
    const device = await app.admin('GET', '/admin/devices/BUS-0001');
    expect(device.body).toMatchObject({ ret_code: 0, device_id: 'BUS-0001', online: true, line_id: 'L1', lng: 114.057868 });
    await eventually(async () => (await rowCount(app, `SELECT 1 FROM card_check WHERE device_id = 'BUS-0001'`)) === 3);
    const [refused] = await app.db.query(
      `SELECT line_id, check_mode, outcome, ret_code, lng, lat, abs(extract(epoch FROM received_at - checked_at)) < 5 AS timely FROM card_check WHERE card_id = 'FFFF0000'`,
    );
    expect(refused).toEqual({ line_id: 'L1', check_mode: 0, outcome: 'not-listed', ret_code: 2001, lng: 114.05, lat: 22.54, timely: true });
  });

  it('stores offline logs once however often they are uploaded', async () => {
    const checks = app.bus.collect(Events.CardChecked);
    const tickets = app.bus.collect(Events.TicketChecked);
    const time = wireNow(-3600_000);
    const log = { req_id: 'log-1', card_id: '0A0B0C0D', time, status: '0', lng: '114.1', lat: '22.5' };
    for (let i = 0; i < 2; i++) expect((await bus1.call('/card_check_log', log)).body).toEqual({ req_id: 'log-1', ret_code: 0, ret_msg: '成功' });
    expect(await rowCount(app, `SELECT 1 FROM card_check_log WHERE card_id = '0A0B0C0D'`)).toBe(1);
    expect(await bus1.call('/card_check_log', { ...log, card_id: 'DEADBEEF', status: 2 }).then((r) => r.body.ret_code)).toBe(0);

    const issued = await app.admin('POST', '/admin/qrcode/issue', { user_id: 'U42' });
    const qrLog = { req_id: 'qlog', qr_code: issued.body.qr_code, time, status: '0' };
    for (let i = 0; i < 2; i++) expect((await bus1.call('/offline_qrcode_log', qrLog)).body).toMatchObject({ ret_code: 0 });
    expect(await rowCount(app, `SELECT 1 FROM qrcode_log`)).toBe(1);

    const [cardEvents, ticketEvents] = [await checks.waitFor(2), await tickets.waitFor(1)];
    await checks.settle(300);
    expect(cardEvents.map((e) => [e.cardId, e.mode, e.outcome])).toEqual([
      ['0A0B0C0D', 'offline', 'valid'],
      ['DEADBEEF', 'offline', 'invalid'],
    ]);
    expect(ticketEvents).toEqual([expect.objectContaining({ mode: 'offline', outcome: 'valid', userId: 'U42', deviceId: 'BUS-0001' })]);
    // The ticket the device accepted offline is used: it cannot ride again online.
    expect((await bus2.ticketCheck(issued.body.qr_code)).body).toMatchObject({ ret_code: 3004, sound_no: 8 });
  });

  it('checks QR tickets: valid once, replay refused on another device, expired, forged, unknown key', async () => {
    const checksBefore = await rowCount(app, `SELECT 1 FROM ticket_check`);
    const tickets = app.bus.collect(Events.TicketChecked);
    const issued = await app.admin('POST', '/admin/qrcode/issue', { user_id: 'U1001' });
    expect(issued.body).toMatchObject({ ret_code: 0, qr_code: expect.stringMatching(/^[A-Za-z0-9_-]+$/), expire_time: expect.stringMatching(DATE_TIME) });
    expect(issued.body.qr_code.length).toBeLessThan(140);

    // What an offline validator holds is enough to verify the code, and cannot sign one.
    const keys = await bus1.call('/get_qrcode_keys', { req_id: 'keys' });
    expect(keys.body).toMatchObject({ req_id: 'keys', ret_code: 0, ret_msg: '成功', version_code: String(issued.body.version_code) });
    expect(keys.body.list).toHaveLength(4);
    for (const k of keys.body.list) expect(k).toEqual({ key_id: expect.any(Number), key: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const bytes = Buffer.from(issued.body.qr_code, 'base64url');
    const listed = keys.body.list.find((k: { key_id: number }) => k.key_id === bytes.readUInt32BE(5));
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(listed.key, 'hex').toString('base64url') }, format: 'jwk' });
    expect(verify(null, bytes.subarray(0, bytes.length - 64), publicKey, bytes.subarray(bytes.length - 64))).toBe(true);

    const time = wireNow();
    expect((await bus1.ticketCheck(issued.body.qr_code, time)).body).toEqual({ req_id: 'tc', ret_code: 0, ret_msg: '成功', sound_no: 0 });
    // The same device re-sending the same scan (a retry) is still the one ride, recorded and published once …
    expect((await bus1.ticketCheck(issued.body.qr_code, time)).body.ret_code).toBe(0);
    expect(await rowCount(app, `SELECT 1 FROM ticket_check WHERE user_id = 'U1001' AND outcome = 'valid'`)).toBe(1);
    // … any other use is a replay, on another device or later on this one.
    expect((await bus2.ticketCheck(issued.body.qr_code)).body).toMatchObject({ ret_code: 3004, sound_no: 8 });
    expect((await bus1.ticketCheck(issued.body.qr_code, wireNow(5000))).body.ret_code).toBe(3004);
    expect(await rowCount(app, `SELECT 1 FROM qr_ticket_use WHERE user_id = 'U1001'`)).toBe(1);

    // Forged: one bit of the payload changed (another user), signature kept.
    const forged = Buffer.from(bytes);
    forged[bytes.length - 65] ^= 0x01;
    expect((await bus1.ticketCheck(forged.toString('base64url'))).body).toMatchObject({ ret_code: 3002, sound_no: 6 });
    expect((await bus1.ticketCheck('not-a-ticket')).body).toMatchObject({ ret_code: 3002 });
    // Unknown key group.
    const unknownGroup = Buffer.from(bytes);
    unknownGroup.writeUInt32BE(12345, 1);
    expect((await bus1.ticketCheck(unknownGroup.toString('base64url'))).body).toMatchObject({ ret_code: 3003, sound_no: 7 });

    // Expired: scanned after its expiry; and online, by the server's clock even when the device's lags.
    const minute = await app.admin('POST', '/admin/qrcode/issue', { user_id: 'U1002', ttl_seconds: 60 });
    expect((await bus2.ticketCheck(minute.body.qr_code, wireNow(120_000), 1)).body).toMatchObject({ ret_code: 3001, sound_no: 5 });
    const short = await app.admin('POST', '/admin/qrcode/issue', { user_id: 'U1002', ttl_seconds: 1 });
    const scannedAt = wireNow();
    await new Promise((r) => setTimeout(r, 1100));
    expect((await bus2.ticketCheck(short.body.qr_code, scannedAt, 0)).body).toMatchObject({ ret_code: 3001, sound_no: 5 });
    expect(await rowCount(app, `SELECT 1 FROM qr_ticket_use WHERE user_id = 'U1002'`)).toBe(0);
    expect(await rowCount(app, `SELECT 1 FROM ticket_check`)).toBe(checksBefore + 8);
    await tickets.waitFor(8);
    await tickets.settle(300);
    const rides = tickets.events.filter((e) => e.userId === 'U1001').map((e) => `${e.deviceId}:${e.outcome}`);
    expect(rides).toEqual(['BUS-0001:valid', 'BUS-0002:replayed', 'BUS-0001:replayed']);
  });

  it('stores and publishes a retried card check once', async () => {
    const checks = app.bus.collect(Events.CardChecked);
    const time = wireNow(-60_000);
    const answers = await Promise.all([0, 1, 2].map(() => bus1.cardCheck('A1B2C3D4', time)));
    const later = await bus1.cardCheck('A1B2C3D4', wireNow(-59_000));
    for (const res of [...answers, later]) expect(res.body).toMatchObject({ ret_code: 2002, sound_no: 2 });
    await checks.waitFor(2);
    await checks.settle(300);
    expect(checks.events.filter((e) => e.cardId === 'A1B2C3D4')).toHaveLength(2);
    expect(await rowCount(app, `SELECT 1 FROM card_check WHERE card_id = 'A1B2C3D4' AND checked_at >= now() - interval '2 minutes' AND checked_at < now() - interval '50 seconds'`)).toBe(2);
  });

  it('rotates QR key groups with a grace period', async () => {
    const old = await app.admin('POST', '/admin/qrcode/issue', { user_id: 'U2001' });
    const older = await app.admin('POST', '/admin/qrcode/issue', { user_id: 'U2002' });
    const rotated = await app.admin('POST', '/admin/qrcode/rotate', { grace_seconds: 600 });
    expect(rotated.body).toMatchObject({ ret_code: 0, previous_version_code: String(old.body.version_code), previous_expire_time: expect.stringMatching(DATE_TIME) });
    const keys = await bus1.call('/get_qrcode_keys', {});
    expect(keys.body.version_code).toBe(rotated.body.version_code);
    expect(keys.body.list).toHaveLength(8);
    expect((await bus1.heartbeat()).body.version_code).toBe(rotated.body.version_code);
    expect((await bus1.ticketCheck(old.body.qr_code)).body.ret_code).toBe(0);
    const fresh = await app.admin('POST', '/admin/qrcode/issue', { user_id: 'U2003' });
    expect(String(fresh.body.version_code)).toBe(rotated.body.version_code);
    expect((await bus1.ticketCheck(fresh.body.qr_code)).body.ret_code).toBe(0);
    // Rotating again with no grace retires the group at once (the middle one keeps its own grace).
    await app.admin('POST', '/admin/qrcode/rotate', { grace_seconds: 0 });
    expect((await bus2.ticketCheck(fresh.body.qr_code)).body).toMatchObject({ ret_code: 3003 });
    expect((await bus2.ticketCheck(older.body.qr_code)).body.ret_code).toBe(0);
  });

  it('adds an issued card once however often the event is delivered; Tuya deletions leave the list', async () => {
    const changed = app.bus.collect(Events.WhitelistChanged);
    const [{ v: before }] = await app.db.query(`SELECT max(version)::int AS v FROM whitelist_card`);
    const issued = {
      eventId: '0b9a7a4e-96c4-4d4b-9c51-d2e7f1a2b3c4', occurredAt: new Date().toISOString(), producer: 'card-issuance',
      orderId: 'O1', orderType: 1, userId: 'U9', userName: '李四', companyId: 'C1', companyName: 'Acme', projectId: 'P1',
      machineNo: 'K1', uid: 'CAFEBABE01', cardNo: '2024009', expiryDate: '20301231',
    };
    await app.bus.publishRaw(Events.CardIssued, issued);
    await app.bus.publishRaw(Events.CardIssued, issued);
    await changed.waitFor(1);
    await changed.settle(700);
    expect(changed.events).toHaveLength(1);
    const entry = await app.admin('GET', '/admin/cards/CAFEBABE01');
    expect(entry.body).toMatchObject({ ret_code: 0, flag: 1, version: before + 1 });
    expect(await rowCount(app, `SELECT 1 FROM inbox WHERE event_id = $1`, [issued.eventId])).toBe(1);

    await app.bus.publish(Events.TuyaCardChanged, { projectId: 'P1', personId: 'p1', personCardId: 'pc1', cardNo: '0a0b0c0d', cardStatus: 1, change: 'deleted' });
    await changed.waitFor(2);
    await bus2.heartbeat({ version_code_all: String(before), version_code_add: String(before) });
    const inc = await bus2.call('/get_card_list', { type: 2 });
    expect(inc.body.list).toEqual([
      { card_no: 'CAFEBABE01', flag: 1 },
      { card_no: '0A0B0C0D', flag: 0 },
    ]);
    const full = await bus2.call('/get_card_list', { type: 1 });
    expect(full.body.list.map((c: { card_no: string }) => c.card_no)).toEqual(['A1B2C3D4', 'CAFEBABE01', 'DEADBEEF']);
    expect((await bus2.cardCheck('0A0B0C0D')).body.ret_code).not.toBe(0);

    // Other services can ask for a card's entry over NATS.
    const reply = await app.bus.nc.request(`${app.bus.prefix}onecard.transit-validation.rpc.get-whitelist-entry`, JSON.stringify({ cardNo: 'cafebabe01' }));
    expect(JSON.parse(reply.string())).toEqual({ ok: true, data: { found: true, flag: 1, version: before + 1 } });
  });

  it('applies remote configuration: check window, line whitelist, line list', async () => {
    await app.admin('POST', '/admin/cards', { card_no: 'B0B0B0B0', flag: 1, line_ids: ['L2'] });
    // A window that has not opened yet.
    const start = wireNow(2 * 3600_000).slice(11);
    const end = wireNow(3 * 3600_000).slice(11);
    const configured = await app.admin('PUT', '/admin/devices/BUS-0002/config', { check_start_time: start, check_end_time: end, is_line_white: 1, check_mode: 1 });
    expect(configured.body).toMatchObject({ ret_code: 0, check_start_time: start, check_end_time: end, is_line_white: 1, check_mode: 1 });
    const hb = (await eventually(async () => {
      const res = await bus2.heartbeat();
      return res.body.is_line_white === 1 ? res : undefined;
    }, 3000))!;
    expect(hb.body).toMatchObject({ check_mode: 1, is_line_white: 1 });
    expect(hb.body.check_start_time_format.slice(11)).toBe(start);
    expect(hb.body.check_end_time_format.slice(11)).toBe(end);
    expect((await bus2.cardCheck('B0B0B0B0')).body).toMatchObject({ ret_code: 2003, sound_no: 3 });

    await app.admin('PUT', '/admin/devices/BUS-0002/config', { check_start_time: null, check_end_time: null });
    await eventually(async () => (await bus2.cardCheck('B0B0B0B0')).body.ret_code === 0, 3000);
    expect((await bus2.cardCheck('CAFEBABE01')).body).toMatchObject({ ret_code: 2004, sound_no: 4 });

    const line = await bus2.call('/get_line_card_list', { req_id: 'line' });
    expect(line.body).toMatchObject({ req_id: 'line', ret_code: 0, enterprise_id: '398', list: [{ card_no: 'B0B0B0B0', flag: 1 }] });
    expect(line.body.version).toBe(hb.body.line_version_code_all);
  });

  it('imports cards from CSV in one version, refusing a bad file whole', async () => {
    const [{ v: before }] = await app.db.query(`SELECT max(version)::int AS v FROM whitelist_card`);
    const csv = 'card_no,flag,line_ids\n11110001,1,L1|L2\n"11110002",0,\n11110003,1,"L1,L3"\n';
    const res = await fetch(`${app.url}/admin/cards/import`, {
      method: 'POST', headers: { 'content-type': 'text/csv', authorization: 'Bearer test-admin-token-0123456789' }, body: csv,
    });
    expect(await res.json()).toEqual({ ret_code: 0, ret_msg: '成功', rows: 3, cards: 3, changed: 3, version: before + 1 });
    const rows = await app.db.query(`SELECT card_no, flag, line_ids, version::int FROM whitelist_card WHERE card_no LIKE '1111%' ORDER BY card_no`);
    expect(rows).toEqual([
      { card_no: '11110001', flag: 1, line_ids: ['L1', 'L2'], version: before + 1 },
      { card_no: '11110002', flag: 0, line_ids: [], version: before + 1 },
      { card_no: '11110003', flag: 1, line_ids: ['L1', 'L3'], version: before + 1 },
    ]);
    const bad = await fetch(`${app.url}/admin/cards/import`, {
      method: 'POST', headers: { 'content-type': 'text/csv', authorization: 'Bearer test-admin-token-0123456789' }, body: '22220001,1\n22220002,7\n',
    });
    expect(await bad.json()).toEqual({ ret_code: 1001, ret_msg: 'line 2: flag must be 0 or 1' });
    expect(await rowCount(app, `SELECT 1 FROM whitelist_card WHERE card_no LIKE '2222%'`)).toBe(0);
  });

  it('takes a replaced card out of use though its account is neither lost nor frozen', async () => {
    await app.admin('POST', '/admin/cards', { card_no: 'C0FFEE01', flag: 1 });
    // The replica's whitelist copy catches up with the admin change within moments.
    await eventually(async () => (await bus1.cardCheck('C0FFEE01')).body.ret_code === 0, 3000);
    const { version } = (await app.admin('GET', '/admin/cards/C0FFEE01')).body;
    await app.bus.publish(Events.CardStatusChanged, { cardNo: '2024010', cardId: 'C0FFEE01', userCode: 'U10', lost: false, frozen: false, change: 'replaced' });
    const entry = await eventually(async () => {
      const res = await app.admin('GET', '/admin/cards/C0FFEE01');
      return res.body.flag === 0 ? res.body : undefined;
    }, 3000);
    expect(entry).toMatchObject({ ret_code: 0, flag: 0, version: version + 1 });
    const refused = await eventually(async () => {
      const res = await bus1.cardCheck('C0FFEE01');
      return res.body.ret_code !== 0 ? res : undefined;
    }, 3000);
    expect(refused!.body).toMatchObject({ ret_code: 2002, sound_no: 2 });
  });
});
