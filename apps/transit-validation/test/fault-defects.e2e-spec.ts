import { Events } from '@onecard/contracts';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { WhitelistCache } from '../src/whitelist/whitelist-cache';
import { HeartbeatRow, HeartbeatWriter } from '../src/heartbeat/heartbeat-writer';
import { CardCheckRecorder, CardCheckRow } from '../src/checks/card-check-recorder';
import { rowCount, ValidatorClient, wireNow } from './validator-client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** The defects found under bad input and faults (issue 12), each with the exact request that showed it. */
describe('transit-validation: defects found under bad input and faults', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  let bus: ValidatorClient;

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp, { env: { TRANSIT_HEARTBEAT_FLUSH_MS: '20' } });
    bus = await new ValidatorClient(app, 'BUS-F1', 'L1').register();
    await bus.login();
    expect((await app.admin('POST', '/admin/cards', { card_no: 'FA017001', flag: 1 })).body.ret_code).toBe(0);
    // The whitelist copy catches up on the change feed, a moment after the admin call answers.
    await eventually(() => app.get(WhitelistCache).lookup('FA017001'));
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('1. one heartbeat with text Postgres cannot store', () => {
    it('is refused at the edge naming the field, and every heartbeat after it is stored', async () => {
      const before = await rowCount(app, `SELECT 1 FROM location_report`);
      // The exact request: a valid location_report whose version_code_all is "\ud800" as JSON text.
      const body = JSON.stringify({
        req_id: 'lone', token: bus.token, device_id: 'BUS-F1', time: wireNow(), lng: '114.057868', lat: '22.543099', course: '90', speed: '32.5',
        check_mode: 0, check_card_mode: 0, qrcode_mode: 1, card_mode: 1, white_mode: 1, version_code_all: 'LONE', version_code_add: '',
        software_ver: 102, line_version_code_all: '', is_line_white: 0,
      }).replace('"LONE"', '"\\ud800"');
      expect(body).toContain('"version_code_all":"\\ud800"');
      const res = await app.http('POST', '/location_report', body, { 'content-type': 'application/json' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        req_id: 'lone', ret_code: 1001, ret_msg: 'version_code_all: must be well-formed Unicode text (a lone UTF-16 surrogate such as \\ud800 cannot be stored)',
      });
      // The same in a card check and an offline log; NUL as before.
      const check = await bus.call('/card_check', { req_id: 'lone', check_mode: 0, card_id: 'FA01\udc00', time: wireNow() });
      expect(check.body).toEqual({ req_id: 'lone', ret_code: 1001, ret_msg: expect.stringMatching(/^card_id: must be well-formed Unicode text/), sound_no: 0 });
      const log = await bus.call('/offline_qrcode_log', { req_id: 'lone', qr_code: 'abc\ud800', time: wireNow(), status: '1' });
      expect(log.body).toEqual({ req_id: 'lone', ret_code: 1001, ret_msg: expect.stringMatching(/^qr_code: must be well-formed Unicode text/) });
      // Heartbeats go on being stored, this validator's and others'.
      const other = await (await new ValidatorClient(app, 'BUS-F2', 'L1').register()).login();
      expect((await bus.heartbeat({ req_id: 'after' })).body).toMatchObject({ req_id: 'after', ret_code: 0 });
      expect((await other.heartbeat({ req_id: 'after' })).body).toMatchObject({ req_id: 'after', ret_code: 0 });
      await eventually(async () => (await rowCount(app, `SELECT 1 FROM location_report`)) === before + 2);
      expect(await rowCount(app, `SELECT 1 FROM qrcode_log`)).toBe(0);
      expect((await app.http('GET', '/health')).status).toBe(200);
    });
  });

  describe('1. in depth: a batched writer survives a row Postgres refuses', () => {
    const heartbeat = (deviceId: string, versionCodeAll: string): HeartbeatRow => ({
      deviceId, receivedAtMs: Date.now(), deviceTimeMs: Date.now(), lng: 114.05, lat: 22.54, checkMode: 0, checkCardMode: 0, qrcodeMode: 1, cardMode: 1,
      whiteMode: 1, isLineWhite: 0, versionCodeAll, versionCodeAdd: '', lineVersionCodeAll: '', softwareVer: 102,
    });
    const metric = async (pattern: RegExp) => Number(pattern.exec((await app.http('GET', '/metrics')).text)?.[1] ?? 0);

    it('heartbeats: the bad row is set aside as dead with its reason, the rest of its batch is stored', async () => {
      const before = await rowCount(app, `SELECT 1 FROM location_report`);
      const writer = app.get(HeartbeatWriter);
      // As if the edge had let one through: a heartbeat among others in one batch.
      await Promise.all([heartbeat('BUS-D1', '1'), heartbeat('BUS-D2', '\ud800'), heartbeat('BUS-D3', '3'), heartbeat('BUS-D4', '4')].map((r) => writer.add(r)));
      await writer.writer.flush();
      expect(await app.db.query(`SELECT device_id, version_code_all FROM location_report WHERE device_id LIKE 'BUS-D%' ORDER BY device_id`)).toEqual([
        { device_id: 'BUS-D1', version_code_all: '1' }, { device_id: 'BUS-D3', version_code_all: '3' }, { device_id: 'BUS-D4', version_code_all: '4' },
      ]);
      expect(await rowCount(app, `SELECT 1 FROM location_report`)).toBe(before + 3);
      expect(await rowCount(app, `SELECT 1 FROM device_status WHERE device_id IN ('BUS-D1', 'BUS-D3', 'BUS-D4')`)).toBe(3);
      const [dead] = await app.db.query(`SELECT writer, reason, row_json FROM dead_row`);
      expect(dead).toEqual({ writer: 'heartbeats', reason: '22P02: invalid input syntax for type json', row_json: expect.stringContaining('"versionCodeAll":"\\ud800"') });

      const shown = await app.admin('GET', '/admin/dead-rows');
      expect(shown.body).toEqual({
        ret_code: 0, ret_msg: '成功', limit: 100, next: null,
        items: [{ id: expect.stringMatching(/^\d+$/), writer: 'heartbeats', reason: '22P02: invalid input syntax for type json', row: expect.objectContaining({ deviceId: 'BUS-D2', versionCodeAll: '\ud800' }), failed_time: expect.stringMatching(DATE_TIME) }],
      });
      expect((await app.admin('GET', '/admin/dead-rows?writer=card_checks')).body).toEqual({ ret_code: 0, ret_msg: '成功', items: [], limit: 100, next: null });
      expect((await app.admin('GET', `/admin/dead-rows?cursor=${shown.body.items[0].id}`)).body).toEqual({ ret_code: 0, ret_msg: '成功', items: [], limit: 100, next: null });
      expect((await app.admin('GET', '/admin/dead-rows?limit=0')).body).toEqual({ ret_code: 1001, ret_msg: 'limit must be 1 or more' });
      expect((await app.admin('GET', '/admin/dead-rows?before_id=5')).body).toEqual({ ret_code: 1001, ret_msg: 'before_id: unknown field' });
      expect(await metric(/transit_batch_writer_dead_rows_total\{writer="heartbeats"[^}]*\} (\d+)/)).toBe(1);
      expect(await metric(/transit_batch_writer_failures_total\{writer="heartbeats",reason="22P02"[^}]*\} (\d+)/)).toBeGreaterThanOrEqual(3);
      expect((await app.http('GET', '/health')).status).toBe(200);
      // Heartbeats from validators go on being stored.
      expect((await bus.heartbeat({ req_id: 'next' })).body.ret_code).toBe(0);
      await eventually(async () => (await rowCount(app, `SELECT 1 FROM location_report`)) === before + 4);
    });

    it('online card checks and their outbox batch rows: the bad tap is set aside, the others stored and published once each', async () => {
      const recorder = app.get(CardCheckRecorder);
      const checks = app.bus.collect(Events.CardChecked);
      const at = Date.now() - 60_000;
      const tap = (cardId: string): CardCheckRow => ({ deviceId: 'BUS-F1', lineId: 'L1', cardId, checkedAtMs: at, receivedAtMs: Date.now(), checkMode: 0, outcome: 'valid', retCode: 0 });
      await Promise.all([tap('DD000001'), tap('DD\ud800'), tap('DD000003')].map((r) => recorder.add(r)));
      await recorder.writer.flush();
      expect(await app.db.query(`SELECT card_id FROM card_check WHERE card_id LIKE 'DD%' ORDER BY card_id`)).toEqual([{ card_id: 'DD000001' }, { card_id: 'DD000003' }]);
      const published = await checks.waitFor(2);
      expect(await checks.settle(400)).toHaveLength(2);
      expect(published.map((e) => e.cardId)).toEqual(['DD000001', 'DD000003']);
      expect(await app.db.query(`SELECT writer, reason FROM dead_row WHERE writer = 'card_checks'`)).toEqual([{ writer: 'card_checks', reason: '22P02: invalid input syntax for type json' }]);
      checks.stop();
    });

    it('a writer that cannot write at all turns /health unhealthy naming it, a metric says why, and nothing accepted is dropped', async () => {
      const before = await rowCount(app, `SELECT 1 FROM location_report`);
      await app.db.query(`ALTER TABLE location_report RENAME TO location_report_away`);
      try {
        for (let i = 0; i < 3; i++) expect((await bus.heartbeat({ req_id: `away-${i}` })).body).toMatchObject({ req_id: `away-${i}`, ret_code: 0 });
        const down = (await eventually(async () => {
          const res = await app.http('GET', '/health');
          return res.status === 503 ? res : undefined;
        }))!;
        expect(down.body.error).toEqual({
          heartbeats_writer: { status: 'down', message: expect.stringMatching(/^\d+ writes in a row failed \(last: 42P01: relation "location_report" does not exist\); 3 rows waiting$/) },
        });
        expect(down.body.details).toMatchObject({ database: { status: 'up' }, card_checks_writer: { status: 'up' } });
        expect(await metric(/transit_batch_writer_failures_total\{writer="heartbeats",reason="42P01"[^}]*\} (\d+)/)).toBeGreaterThanOrEqual(3);
        expect(await metric(/transit_batch_writer_pending\{writer="heartbeats"[^}]*\} (\d+)/)).toBe(3);
        expect(await metric(/transit_batch_writer_healthy\{writer="heartbeats"[^}]*\} (\d+)/)).toBe(0);
        expect(await rowCount(app, `SELECT 1 FROM dead_row WHERE writer = 'heartbeats'`)).toBe(1);
      } finally {
        await app.db.query(`ALTER TABLE location_report_away RENAME TO location_report`);
      }
      // Back: the queued heartbeats are written (the retry backs off to at most 5 s), health returns.
      await eventually(async () => (await rowCount(app, `SELECT 1 FROM location_report`)) === before + 3, 15_000);
      await eventually(async () => (await app.http('GET', '/health')).status === 200);
      expect(await metric(/transit_batch_writer_healthy\{writer="heartbeats"[^}]*\} (\d+)/)).toBe(1);
    });
  });

  describe('2. a repeated online card_check', () => {
    it('is one row and one card.checked however often it is sent', async () => {
      const checks = app.bus.collect(Events.CardChecked);
      const body = { req_id: 'rep-1', token: bus.token, device_id: 'BUS-F1', check_mode: 0, card_id: 'FA017001', time: wireNow(), lng: '114.05', lat: '22.54' };
      for (let i = 0; i < 3; i++) {
        if (i > 0) await sleep(300);
        const res = await app.http('POST', '/card_check', body);
        expect(res.body).toEqual({ req_id: 'rep-1', ret_code: 0, ret_msg: '成功', sound_no: 0 });
      }
      await eventually(async () => (await rowCount(app, `SELECT 1 FROM card_check WHERE card_id = 'FA017001'`)) === 1);
      const [published] = await checks.waitFor(1);
      expect(published).toMatchObject({ deviceId: 'BUS-F1', lineId: 'L1', cardId: 'FA017001', mode: 'online', outcome: 'valid' });
      // Long enough for two more flushes and the relay to have published anything they wrote.
      expect(await checks.settle(800)).toHaveLength(1);
      const stored = (await app.bus.stored(Events.CardChecked)).filter((e) => e.cardId === 'FA017001');
      expect(stored.map((e) => e.eventId)).toEqual([published.eventId]);
      expect(await rowCount(app, `SELECT 1 FROM card_check WHERE card_id = 'FA017001'`)).toBe(1);
      expect(await rowCount(app, `SELECT 1 FROM outbox WHERE subject LIKE '%card.checked' AND message::text LIKE '%"cardId":"FA017001"%'`)).toBe(1);
      checks.stop();
    });
  });

  describe('6. validator tokens', () => {
    it('refuse a valid token with junk appended, in the body or as a bearer header, and store nothing', async () => {
      const heartbeats = await rowCount(app, `SELECT 1 FROM location_report`);
      const checks = await rowCount(app, `SELECT 1 FROM card_check`);
      const refused = { req_id: 'junk', ret_code: 1102, ret_msg: 'token: not a token this server issued' };
      for (const junk of ['!', '*', '~', '=', '\udc00']) {
        const heartbeat = await bus.heartbeat({ req_id: 'junk', token: bus.token + junk });
        expect([junk, heartbeat.body]).toEqual([junk, refused]);
        const check = await bus.call('/card_check', { req_id: 'junk', token: bus.token + junk, check_mode: 0, card_id: 'FA017001', time: wireNow() });
        expect([junk, check.body]).toEqual([junk, { ...refused, sound_no: 0 }]);
        if (junk !== '\udc00') {
          // A header cannot carry a lone surrogate; the other four can.
          const viaHeader = await app.http('POST', '/get_qrcode_keys', { req_id: 'junk' }, { authorization: `Bearer ${bus.token}${junk}`, 'content-type': 'application/json' });
          expect([junk, viaHeader.body]).toEqual([junk, refused]);
        }
      }
      // The token itself still works, so what was refused was the junk.
      expect((await bus.heartbeat({ req_id: 'clean' })).body).toMatchObject({ req_id: 'clean', ret_code: 0 });
      await eventually(async () => (await rowCount(app, `SELECT 1 FROM location_report`)) === heartbeats + 1);
      await sleep(100);
      expect(await rowCount(app, `SELECT 1 FROM location_report`)).toBe(heartbeats + 1);
      expect(await rowCount(app, `SELECT 1 FROM card_check`)).toBe(checks);
    });
  });

  describe('7. disabling a validator', () => {
    let replica: TestApp<TransitValidationConfig> & { bus: TestBus };
    afterAll(async () => {
      await replica?.close();
    });

    it('stops its tokens at once on every replica, refuses get_token, shows it and publishes it; enabling lets it log in again', async () => {
      replica = await startTestApp(transitValidationApp, { bus: app.bus, env: { DB_SCHEMA: app.schema }, keepSchema: true });
      const device = await (await new ValidatorClient(app, 'BUS-F7', 'L7').register()).login();
      const onReplica = new ValidatorClient(replica, 'BUS-F7', 'L7');
      onReplica.token = device.token;
      // Both replicas have the device cached, enabled.
      expect((await device.heartbeat()).body.ret_code).toBe(0);
      expect((await onReplica.heartbeat()).body.ret_code).toBe(0);
      await eventually(async () => (await rowCount(app, `SELECT 1 FROM location_report WHERE device_id = 'BUS-F7'`)) === 2);
      const statuses = app.bus.collect(Events.DeviceStatusChanged);

      const disabled = await app.admin('POST', '/admin/devices/BUS-F7/disable');
      expect(disabled.body).toMatchObject({ ret_code: 0, ret_msg: '成功', device_id: 'BUS-F7', line_id: 'L7', disabled: true, disabled_time: expect.stringMatching(DATE_TIME) });
      const refused = { req_id: 'hb', ret_code: 1109, ret_msg: 'device_id: BUS-F7 is disabled by the operator' };
      expect((await device.heartbeat()).body).toEqual(refused);
      // The other replica heard it on the change feed (its cached copy would otherwise live a minute).
      const startedAt = Date.now();
      await eventually(async () => (await onReplica.heartbeat()).body.ret_code === 1109, 1000, 10);
      expect(Date.now() - startedAt).toBeLessThan(1000);
      expect((await onReplica.heartbeat()).body).toEqual(refused);
      for (const client of [device, onReplica]) {
        const check = await client.call('/card_check', { req_id: 'cc', check_mode: 0, card_id: 'FA017001', time: wireNow() });
        expect(check.body).toEqual({ req_id: 'cc', ret_code: 1109, ret_msg: 'device_id: BUS-F7 is disabled by the operator', sound_no: 0 });
        expect((await client.call('/get_card_list', { req_id: 'l', type: 1 })).body).toEqual({ ...refused, req_id: 'l' });
      }
      // get_token: refused to the device (right sign); a wrong sign learns only that the sign is wrong.
      expect((await app.http('POST', '/get_token', device.signedTokenRequest())).body).toEqual({ ...refused, req_id: 'tok-1' });
      expect((await replica.http('POST', '/get_token', device.signedTokenRequest())).body).toEqual({ ...refused, req_id: 'tok-1' });
      expect((await app.http('POST', '/get_token', device.signedTokenRequest({ sign: 'a'.repeat(64) }))).body.ret_code).toBe(1106);
      await sleep(100);
      expect(await rowCount(app, `SELECT 1 FROM location_report WHERE device_id = 'BUS-F7'`)).toBe(2);
      expect(await rowCount(app, `SELECT 1 FROM card_check WHERE device_id = 'BUS-F7'`)).toBe(0);
      const [row] = await app.db.query(`SELECT disabled_at IS NOT NULL AS disabled, token_gen FROM device WHERE device_id = 'BUS-F7'`);
      expect(row).toEqual({ disabled: true, token_gen: 2 });

      // Shown to operators, and disabling again changes nothing.
      expect((await app.admin('GET', '/admin/devices/BUS-F7')).body).toMatchObject({ disabled: true, disabled_time: disabled.body.disabled_time });
      expect((await replica.admin('GET', '/admin/devices?line_id=L7')).body.items).toEqual([expect.objectContaining({ device_id: 'BUS-F7', disabled: true })]);
      expect((await app.admin('POST', '/admin/devices/BUS-F7/disable')).body).toMatchObject({ disabled: true, disabled_time: disabled.body.disabled_time });
      expect((await app.admin('POST', '/admin/devices/NOPE-7/disable')).body).toEqual({ ret_code: 1202, ret_msg: 'device_id: no device NOPE-7' });

      const enabled = await app.admin('POST', '/admin/devices/BUS-F7/enable');
      expect(enabled.body).toMatchObject({ ret_code: 0, device_id: 'BUS-F7', disabled: false, disabled_time: null });
      // Its tokens from before stay revoked; a new one works, on either replica.
      expect((await device.heartbeat()).body).toEqual({ req_id: 'hb', ret_code: 1102, ret_msg: 'token: revoked (the device secret was rotated or the device removed)' });
      await device.login();
      onReplica.token = device.token;
      expect((await device.heartbeat()).body).toMatchObject({ req_id: 'hb', ret_code: 0 });
      await eventually(async () => (await onReplica.heartbeat()).body.ret_code === 0, 1000, 10);

      // The subject also carries its online/offline (device-presence.e2e-spec): this is about the operator's two.
      const operators = () => statuses.events.filter((e) => e.status === 'disabled' || e.status === 'enabled');
      await eventually(() => operators().length >= 2);
      await statuses.settle(300);
      const events = operators();
      expect(events.map((e) => [e.deviceId, e.enterpriseId, e.lineId, e.status, e.producer])).toEqual([
        ['BUS-F7', '398', 'L7', 'disabled', 'transit-validation'],
        ['BUS-F7', '398', 'L7', 'enabled', 'transit-validation'],
      ]);
      statuses.stop();
    });
  });
});
