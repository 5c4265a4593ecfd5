import { Client } from 'pg';
import { eventually, startTestApp, TEST_DATABASE_URL, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { signToken } from '../src/auth/token';
import { TransitValidationConfig } from '../src/config';
import { DEVICE_TIME_FORMS } from '../src/wire/wire-clock';
import { rowCount, ValidatorClient, wireNow } from './validator-client';

const TOKEN_KEY = 'e2e-token-key-0123456789abcdef0123456789';

describe('transit-validation: bad input and bad tokens change nothing', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  let bus: ValidatorClient;
  let other: ValidatorClient;

  /** Rows that a refused call must not have touched. */
  async function snapshot(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of ['location_report', 'device_status', 'card_check', 'card_check_log', 'ticket_check', 'qrcode_log', 'qr_ticket_use', 'whitelist_card', 'outbox', 'request_nonce']) {
      out[table] = await rowCount(app, `SELECT 1 FROM ${table}`);
    }
    const [{ v }] = await app.db.query(`SELECT coalesce(max(version), 0)::int AS v FROM whitelist_card`);
    out.version = v;
    return out;
  }

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp, { env: { TRANSIT_TOKEN_KEY: TOKEN_KEY, TRANSIT_HEARTBEAT_FLUSH_MS: '20' } });
    bus = await new ValidatorClient(app, 'BUS-E1', 'L1').register();
    other = await new ValidatorClient(app, 'BUS-E2', 'L2').register();
    await bus.login();
    await other.login();
    await app.admin('POST', '/admin/cards', { card_no: 'C0FFEE01', flag: 1 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses bad get_token requests, naming the problem', async () => {
    const before = await snapshot();
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [bus.signedTokenRequest({ device_id: 'NOPE-1' }), 1105, /^device_id: NOPE-1 is not a registered device$/],
      [bus.signedTokenRequest({ sign: 'a'.repeat(64) }), 1106, /^sign: does not match/],
      [{ ...bus.signedTokenRequest(), timestamp: String(Math.floor(Date.now() / 1000) - 3600) }, 1107, /^timestamp: \d+ s away from server time/],
      [bus.signedTokenRequest({ sign: 'xyz' }), 1001, /^sign must be 64 hex characters/],
      [bus.signedTokenRequest({ timestamp: 'yesterday' }), 1001, /^timestamp must be unix time/],
      [{ req_id: 'tok-1', device_id: 'BUS-E1', timestamp: '1700000000', nonce: 'abcdefgh' }, 1001, /^sign /],
    ];
    for (const [body, code, message] of cases) {
      const res = await app.http('POST', '/get_token', body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ req_id: 'tok-1', ret_code: code, ret_msg: expect.stringMatching(message) });
    }
    expect(await snapshot()).toEqual(before);

    // A nonce is good once.
    const request = bus.signedTokenRequest();
    expect((await app.http('POST', '/get_token', request)).body.ret_code).toBe(0);
    expect((await app.http('POST', '/get_token', request)).body).toEqual({ req_id: 'tok-1', ret_code: 1108, ret_msg: 'nonce: already used; send a fresh nonce' });
  });

  it('refuses validator calls without a good token', async () => {
    const before = await snapshot();
    const heartbeat = (await bus.heartbeat()).body;
    expect(heartbeat.ret_code).toBe(0);
    const baseline = (await eventually(async () => {
      const now = await snapshot();
      return now.location_report > before.location_report ? now : undefined;
    }))!;
    expect(baseline.location_report).toBe(before.location_report + 1);

    const body = { device_id: 'BUS-E1', time: wireNow(), check_mode: 0, card_id: 'C0FFEE01', req_id: 'r1' };
    const expired = signToken(Buffer.from(TOKEN_KEY), { deviceId: 'BUS-E1', exp: Math.floor(Date.now() / 1000) - 1, gen: 1 });
    const forged = signToken(Buffer.from('another-key-0123456789abcdef0123456789'), { deviceId: 'BUS-E1', exp: 4102444800, gen: 1 });
    const cases: Array<[Record<string, unknown>, Record<string, string>, number, string]> = [
      [body, {}, 1101, 'token: required (body field token or Authorization: Bearer); get one from /get_token'],
      [{ ...body, token: 'garbage' }, {}, 1102, 'token: not a token this server issued'],
      [{ ...body, token: forged }, {}, 1102, 'token: not a token this server issued'],
      [{ ...body, token: expired }, {}, 1103, 'token: expired; get a new one from /get_token'],
      [{ ...body, token: other.token }, {}, 1104, 'device_id: differs from the device the token was issued to'],
    ];
    for (const path of ['/card_check', '/location_report', '/get_card_list', '/card_check_log', '/ticket_check', '/offline_qrcode_log', '/get_qrcode_keys', '/get_line_card_list']) {
      for (const [b, headers, code, message] of cases) {
        const res = await app.http('POST', path, b, headers);
        // Check answers carry sound_no whatever happened (0: the device's own prompt).
        const sound = path === '/card_check' || path === '/ticket_check' ? { sound_no: 0 } : {};
        expect([path, res.status, res.body]).toEqual([path, 200, { req_id: 'r1', ret_code: code, ret_msg: message, ...sound }]);
      }
    }
    // The token may come as a bearer header instead.
    const viaHeader = await app.http('POST', '/card_check', body, { authorization: `Bearer ${bus.token}`, 'content-type': 'application/json' });
    expect(viaHeader.body).toMatchObject({ req_id: 'r1', ret_code: 0, sound_no: 0 });
    // The accepted check is stored by a batch writer: wait for it, then compare everything.
    const after = (await eventually(async () => {
      const now = await snapshot();
      return now.card_check > baseline.card_check ? now : undefined;
    }))!;
    expect(after).toEqual({ ...baseline, card_check: baseline.card_check + 1, outbox: after.outbox });
  });

  it('refuses malformed fields, naming them, and stores nothing', async () => {
    await new Promise((r) => setTimeout(r, 100));
    const before = await snapshot();
    // Telemetry (lng, lat, course, speed, software_ver) is never refused: field-telemetry.e2e-spec.ts.
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['/location_report', { check_mode: 5 }, 'check_mode must be 0 or 1'],
      ['/location_report', { time: 'yesterday' }, `time must be a time (${DEVICE_TIME_FORMS})`],
      ['/location_report', { version_code_add: undefined }, 'version_code_add must be a string'],
    ];
    for (const [path, fields, message] of cases) {
      const res = await bus.heartbeat({ req_id: 'bad', ...fields });
      expect([path, res.body]).toEqual([path, { req_id: 'bad', ret_code: 1001, ret_msg: message }]);
    }
    const calls: Array<[string, Record<string, unknown>, string]> = [
      ['/card_check', { check_mode: 0, card_id: '!!', time: wireNow() }, 'card_id must be 1–32 letters or digits'],
      ['/card_check', { check_mode: 0, time: wireNow() }, 'card_id must be a string'],
      ['/card_check', { check_mode: 2, card_id: 'C0FFEE01', time: wireNow() }, 'check_mode must be 0 (online) or 1 (offline)'],
      ['/card_check', { check_mode: 0, card_id: 'C0FFEE01', time: '2024-13-01 00:00:00' }, `time must be a time (${DEVICE_TIME_FORMS})`],
      ['/card_check_log', { card_id: 'C0FFEE01', time: wireNow(), status: '9' }, 'status must be 0, 1 or 2'],
      ['/offline_qrcode_log', { time: wireNow() }, 'qr_code must be a string'],
      ['/ticket_check', { check_mode: 0, qr_code: 'x', time: 'now' }, `time must be a time (${DEVICE_TIME_FORMS})`],
      ['/get_card_list', { type: 3 }, 'type must be 1 (full) or 2 (incremental)'],
    ];
    for (const [path, fields, message] of calls) {
      const res = await bus.call(path, { req_id: 'bad', ...fields });
      const sound = path === '/card_check' || path === '/ticket_check' ? { sound_no: 0 } : {};
      expect([path, res.body]).toEqual([path, { req_id: 'bad', ret_code: 1001, ret_msg: message, ...sound }]);
    }
    // A device whose list version is ahead of the server's must reload the full list.
    await bus.heartbeat({ version_code_add: '999999', version_code_all: '999999' });
    const ahead = await bus.call('/get_card_list', { req_id: 'ahead', type: 2 });
    expect(ahead.body).toEqual({ req_id: 'ahead', ret_code: 1301, ret_msg: expect.stringContaining('download the full list (type 1)') });
    await new Promise((r) => setTimeout(r, 100));
    const after = await snapshot();
    expect(after).toEqual({ ...before, location_report: before.location_report + 1 });
  });

  it('refuses bad operator calls and leaves the whitelist version alone', async () => {
    const before = await snapshot();
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/admin/devices', { device_id: 'BUS-E1', enterprise_id: '398', line_id: 'L1' }, 1201, 'device_id: BUS-E1 is already registered (rotate its secret with POST /admin/devices/BUS-E1/secret)'],
      ['POST', '/admin/devices', { device_id: 'bad id', enterprise_id: '398', line_id: 'L1' }, 1001, 'device_id must be 1–64 letters, digits or _ . : -'],
      ['PUT', '/admin/devices/NOPE/config', { check_mode: 1 }, 1202, 'device_id: no device NOPE'],
      ['PUT', '/admin/devices/BUS-E1/config', { check_mode: 3 }, 1001, 'check_mode must be one of the following values: 0, 1'],
      ['PUT', '/admin/devices/BUS-E1/config', { check_start_time: '07:00' }, 1001, 'check_start_time and check_end_time: set both (or clear both with null)'],
      ['PUT', '/admin/devices/BUS-E1/config', { colour: 'red' }, 1001, 'colour: unknown field'],
      ['POST', '/admin/cards', { card_no: 'no-dashes', flag: 1 }, 1001, 'card_no must be 1–32 letters or digits'],
      ['POST', '/admin/cards', { card_no: 'C0FFEE02', flag: 2 }, 1001, 'flag must be 0 or 1'],
      ['POST', '/admin/cards', { card_no: 'C0FFEE02', flag: 1, line_ids: ['L 1'] }, 1001, 'line_ids must be line ids (letters, digits, _ . : -)'],
      ['DELETE', '/admin/cards/C0FFEE99', undefined, 1302, 'card_no: C0FFEE99 is not on the whitelist'],
      ['POST', '/admin/qrcode/issue', { user_id: '' }, 1001, 'user_id must be 1–64 printable ASCII characters'],
    ];
    for (const [method, path, body, code, message] of cases) {
      const res = await app.admin(method, path, body);
      expect([path, res.body]).toEqual([path, { ret_code: code, ret_msg: message }]);
    }
    expect(await snapshot()).toEqual(before);
    const device = await app.admin('GET', '/admin/devices/BUS-E1');
    expect(device.body).toMatchObject({ check_mode: 0, check_start_time: null });
  });

  it('revokes tokens when the device secret is rotated', async () => {
    const rotated = await app.admin('POST', '/admin/devices/BUS-E2/secret');
    expect(rotated.body).toEqual({ ret_code: 0, ret_msg: '成功', secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const res = await other.call('/get_qrcode_keys', { req_id: 'k' });
    expect(res.body).toEqual({ req_id: 'k', ret_code: 1102, ret_msg: 'token: revoked (the device secret was rotated or the device removed)' });
    other.secret = rotated.body.secret;
    await other.login();
    expect((await other.call('/get_qrcode_keys', {})).body.ret_code).toBe(0);
  });
});

describe('transit-validation: TRANSIT_BASE_PATH', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp, { env: { TRANSIT_BASE_PATH: '/api/validator' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the validator calls under the prefix, and /admin where it always is', async () => {
    const bus = await new ValidatorClient(app, 'BUS-P1', 'L1', '398', '/api/validator').register();
    await bus.login();
    expect((await bus.heartbeat()).body).toMatchObject({ ret_code: 0, enterprise_id: '398' });
    const unprefixed = await app.http('POST', '/location_report', { token: bus.token, device_id: 'BUS-P1', req_id: 'x' });
    expect(unprefixed.body).toEqual({ req_id: 'x', ret_code: 1004, ret_msg: 'no such path' });
    expect((await app.http('GET', '/health')).status).toBe(200);
  });
});

describe('transit-validation: shutdown', () => {
  it('writes the heartbeats it already answered before it stops', async () => {
    const app = await startTestApp(transitValidationApp, { env: { TRANSIT_HEARTBEAT_FLUSH_MS: '5000' }, keepSchema: true });
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    let closed = false;
    try {
      const bus = await new ValidatorClient(app, 'BUS-S1', 'L1').register();
      await bus.login();
      for (let i = 0; i < 3; i++) expect((await bus.heartbeat()).body.ret_code).toBe(0);
      // Answered, not yet written (the flush interval is 5 s) …
      expect(await rowCount(app, `SELECT 1 FROM location_report`)).toBe(0);
      await app.close();
      closed = true;
      // … and written by the shutdown.
      await client.connect();
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM "${app.schema}".location_report`);
      expect(rows[0].n).toBe(3);
    } finally {
      if (!closed) await app.close();
      if (!closed) await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${app.schema}" CASCADE`).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  });
});
