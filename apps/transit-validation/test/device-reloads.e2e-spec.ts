import { eventually, startTestApp, TEST_ADMIN_TOKEN, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { rowCount, ValidatorClient, wireNow } from './validator-client';

/**
 * A validator reloads keys and lists when a version in the heartbeat answer differs from the one
 * it holds: each change an operator makes must show there as a version it cannot already hold.
 */
describe('transit-validation: what makes a validator reload', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  let bus: ValidatorClient;

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp);
    bus = await (await new ValidatorClient(app, 'BUS-V1', 'L1').register()).login();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("moves the key set's version_code again when a retired group's grace period ends", async () => {
    const rotated = await app.admin('POST', '/admin/qrcode/rotate', { grace_seconds: 2 });
    expect(rotated.body).toMatchObject({ ret_code: 0 });
    const during = await bus.call('/get_qrcode_keys', { req_id: 'k1' });
    expect(during.body.version_code).toBe(rotated.body.version_code);
    expect(during.body.list).toHaveLength(8);
    expect((await bus.heartbeat()).body.version_code).toBe(rotated.body.version_code);

    const after = (await eventually(async () => {
      const hb = await bus.heartbeat();
      return hb.body.version_code !== rotated.body.version_code ? hb : undefined;
    }, 5000))!;
    expect(Number(after.body.version_code)).toBeGreaterThan(Number(rotated.body.version_code));
    const keys = await bus.call('/get_qrcode_keys', { req_id: 'k2' });
    expect(keys.body.version_code).toBe(after.body.version_code);
    // Only the current group's keys are left, all of them among those fetched before.
    expect(keys.body.list).toHaveLength(4);
    const before = new Set(during.body.list.map((k: { key_id: number }) => k.key_id));
    expect(keys.body.list.every((k: { key_id: number }) => before.has(k.key_id))).toBe(true);
    // The retired group's codes are refused online too (the new group's are not).
    const fresh = await app.admin('POST', '/admin/qrcode/issue', { user_id: 'U-V1' });
    expect((await bus.ticketCheck(fresh.body.qr_code)).body.ret_code).toBe(0);
  });

  it('moves it when the grace period ends even after rotations that ran version_code ahead of the clock', async () => {
    // Three rotations within a second: each version_code is the last + 1, seconds ahead of the clock.
    for (let i = 0; i < 3; i++) expect((await app.admin('POST', '/admin/qrcode/rotate', { grace_seconds: 0 })).body).toMatchObject({ ret_code: 0 });
    const rotated = await app.admin('POST', '/admin/qrcode/rotate', { grace_seconds: 1 });
    expect(Number(rotated.body.version_code)).toBeGreaterThan(Math.floor(Date.now() / 1000));
    expect((await bus.heartbeat()).body.version_code).toBe(rotated.body.version_code);
    // A grace end in a second at or before the new version_code would leave the version where it is.
    const after = (await eventually(async () => {
      const hb = await bus.heartbeat();
      return hb.body.version_code !== rotated.body.version_code ? hb : undefined;
    }, 8000))!;
    expect(Number(after.body.version_code)).toBeGreaterThan(Number(rotated.body.version_code));
    expect((await bus.call('/get_qrcode_keys', { req_id: 'k3' })).body).toMatchObject({ version_code: after.body.version_code, list: expect.any(Array) });
    expect((await bus.call('/get_qrcode_keys', { req_id: 'k4' })).body.list).toHaveLength(4);
  });

  it('gives a device moved to another line a line_version_code_all it does not hold', async () => {
    // One change touching both lines: both lines' lists are at the same version now.
    await app.admin('POST', '/admin/cards', { card_no: 'AA01', flag: 1, line_ids: ['L1'] });
    const imported = await app.http('POST', '/admin/cards/import', 'card_no,flag,line_ids\nAA02,1,L1\nBB02,1,L2\n', {
      'content-type': 'text/csv',
      authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
    });
    expect(imported.body).toMatchObject({ ret_code: 0, changed: 2 });
    const onL1 = (await eventually(async () => {
      const hb = await bus.heartbeat();
      return hb.body.line_version_code_all === String(imported.body.version) ? hb : undefined;
    }, 3000))!;
    const l1 = await bus.call('/get_line_card_list', { req_id: 'l1' });
    expect(l1.body.version).toBe(onL1.body.line_version_code_all);
    expect(l1.body.list.map((c: { card_no: string }) => c.card_no)).toEqual(['AA01', 'AA02']);

    expect((await app.admin('PUT', '/admin/devices/BUS-V1/config', { line_id: 'L2' })).body).toMatchObject({ ret_code: 0, line_id: 'L2' });
    const onL2 = (await eventually(async () => {
      const hb = await bus.heartbeat();
      return hb.body.line_version_code_all !== onL1.body.line_version_code_all ? hb : undefined;
    }, 3000))!;
    const l2 = await bus.call('/get_line_card_list', { req_id: 'l2' });
    expect(l2.body.version).toBe(onL2.body.line_version_code_all);
    expect(l2.body.list).toEqual([{ card_no: 'BB02', flag: 1 }]);
  });

  it("takes the check window under the heartbeat's own names and form", async () => {
    const today = wireNow().slice(0, 10);
    const set = await app.admin('PUT', '/admin/devices/BUS-V1/config', { check_start_time_format: `${today} 07:45:00`, check_end_time_format: `${today} 09:45:00` });
    expect(set.body).toMatchObject({ ret_code: 0, check_start_time: '07:45:00', check_end_time: '09:45:00' });
    const hb = (await eventually(async () => {
      const res = await bus.heartbeat();
      return res.body.check_start_time_format.endsWith(' 07:45:00') ? res : undefined;
    }, 3000))!;
    expect(hb.body.check_end_time_format).toBe(`${hb.body.check_end_time_format.slice(0, 10)} 09:45:00`);

    const both = await app.admin('PUT', '/admin/devices/BUS-V1/config', { check_start_time: '06:00', check_start_time_format: `${today} 06:00:00`, check_end_time: '08:00' });
    expect(both.body).toMatchObject({ ret_code: 1001, ret_msg: expect.stringContaining('check_start_time_format') });
    const bad = await app.admin('PUT', '/admin/devices/BUS-V1/config', { check_start_time_format: 'tomorrow', check_end_time_format: `${today} 09:00:00` });
    expect(bad.body).toMatchObject({ ret_code: 1001, ret_msg: expect.stringContaining('check_start_time_format') });
    const [row] = await app.db.query(`SELECT check_start_time, check_end_time FROM device WHERE device_id = 'BUS-V1'`);
    expect(row).toEqual({ check_start_time: '07:45:00', check_end_time: '09:45:00' });
    await app.admin('PUT', '/admin/devices/BUS-V1/config', { check_start_time: null, check_end_time: null });
  });

  it('answers a card_check without check_mode as offline, the documented default', async () => {
    await app.admin('POST', '/admin/cards', { card_no: 'CC01', flag: 1 });
    const res = (await eventually(async () => {
      const answer = await bus.call('/card_check', { req_id: 'nomode', card_id: 'CC01', time: wireNow() });
      return answer.body.ret_code === 0 ? answer : undefined;
    }, 3000))!;
    expect(res.body).toMatchObject({ req_id: 'nomode', ret_code: 0 });
    await eventually(async () => (await rowCount(app, `SELECT 1 FROM card_check WHERE card_id = 'CC01' AND check_mode = 1`)) > 0, 3000);
  });
});
