import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { ValidatorClient, wireNow } from './validator-client';

/**
 * Issue 17 item 3: the document's heartbeat interval "间隔5s(可动态修改)" is delivered in every
 * location_report answer as the extension field `report_interval` (seconds): the device's own
 * setting, else its line's, else TRANSIT_REPORT_INTERVAL_S (7 in this file, to tell it from the
 * built-in 5).
 */
describe('transit-validation: report_interval in the heartbeat answer', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  let replica: (TestApp<TransitValidationConfig> & { bus: TestBus }) | undefined;
  let bus1: ValidatorClient;
  let bus2: ValidatorClient;

  /** The exact request a validator sends. */
  const heartbeat = (app: TestApp, bus: ValidatorClient) =>
    app.http(
      'POST',
      '/location_report',
      `{"req_id":"hb-${bus.deviceId}","token":"${bus.token}","device_id":"${bus.deviceId}","time":"${wireNow()}","lng":"114.057868","lat":"22.543099",` +
        `"course":"90","speed":"32.5","check_mode":0,"check_card_mode":0,"qrcode_mode":1,"card_mode":1,"white_mode":1,"version_code_all":"",` +
        `"version_code_add":"","software_ver":102,"line_version_code_all":"","is_line_white":0}`,
      { 'content-type': 'application/json' },
    );
  const interval = async (bus: ValidatorClient, on = app) => (await heartbeat(on, bus)).body.report_interval;

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp, { env: { TRANSIT_REPORT_INTERVAL_S: '7' } });
    bus1 = await (await new ValidatorClient(app, 'BUS-R1', 'L1').register()).login();
    bus2 = await (await new ValidatorClient(app, 'BUS-R2', 'L2').register()).login();
  });
  afterAll(async () => {
    await replica?.close();
    await app?.close();
  });

  it('answers the configured default, as one more field beside the document\'s', async () => {
    const res = await heartbeat(app, bus1);
    expect(res.body).toEqual({
      req_id: 'hb-BUS-R1', enterprise_id: '398', ret_code: 0, ret_msg: '成功', server_time: expect.stringMatching(/^\d{12}$/),
      version_code: expect.stringMatching(/^\d+$/), check_mode: 0, check_card_mode: 0, qrcode_mode: 1, card_mode: 1, white_mode: 1,
      version_code_all: expect.any(String), version_code_add: expect.any(String), line_version_code_all: expect.any(String), is_line_white: 0,
      check_start_time_format: expect.stringMatching(/ 00:00:00$/), check_end_time_format: expect.stringMatching(/ 23:59:59$/),
      report_interval: 7,
    });
    expect((await app.admin('GET', '/admin/devices/BUS-R1')).body).toMatchObject({ heartbeat_interval: 7, heartbeat_interval_from: 'default' });
    expect((await app.admin('GET', '/admin/lines/L1/config')).body).toEqual({ ret_code: 0, ret_msg: '成功', line_id: 'L1', heartbeat_interval: null, report_interval: 7 });
  });

  it("a line's interval reaches its devices on every replica; a device's own wins; null clears each", async () => {
    replica = await startTestApp(transitValidationApp, { bus: app.bus, env: { DB_SCHEMA: app.schema, TRANSIT_REPORT_INTERVAL_S: '7' }, keepSchema: true });
    expect(await interval(bus1, replica)).toBe(7);

    const line = await app.admin('PUT', '/admin/lines/L1/config', { heartbeat_interval: 30 });
    expect(line.body).toEqual({ ret_code: 0, ret_msg: '成功', line_id: 'L1', heartbeat_interval: 30, report_interval: 30 });
    expect(await interval(bus1)).toBe(30);
    expect(await interval(bus2)).toBe(7);
    // The other replica re-reads on the change feed (NOTIFY on commit).
    await eventually(async () => (await interval(bus1, replica)) === 30, 3000);
    expect((await app.admin('GET', '/admin/devices/BUS-R1')).body).toMatchObject({ heartbeat_interval: 30, heartbeat_interval_from: 'line', online: true });

    const own = await app.admin('PUT', '/admin/devices/BUS-R1/config', { heartbeat_interval: 10 });
    expect(own.body).toMatchObject({ ret_code: 0, heartbeat_interval: 10, heartbeat_interval_from: 'device' });
    expect(await interval(bus1)).toBe(10);
    await eventually(async () => (await interval(bus1, replica)) === 10, 3000);
    expect((await app.admin('PUT', '/admin/lines/L1/config', { heartbeat_interval: 60 })).body.report_interval).toBe(60);
    expect(await interval(bus1)).toBe(10);

    expect((await app.admin('PUT', '/admin/devices/BUS-R1/config', { heartbeat_interval: null })).body).toMatchObject({ heartbeat_interval: 60, heartbeat_interval_from: 'line' });
    expect(await interval(bus1)).toBe(60);
    expect((await app.admin('PUT', '/admin/lines/L1/config', { heartbeat_interval: null })).body).toMatchObject({ heartbeat_interval: null, report_interval: 7 });
    expect(await interval(bus1)).toBe(7);
    await eventually(async () => (await interval(bus1, replica)) === 7, 3000);
    expect(await app.db.query(`SELECT line_id, heartbeat_interval FROM line_setting`)).toEqual([{ line_id: 'L1', heartbeat_interval: null }]);
    expect(await app.db.query(`SELECT heartbeat_interval FROM device WHERE device_id = 'BUS-R1'`)).toEqual([{ heartbeat_interval: null }]);
  });

  it('refuses an interval out of range or a bad line id, naming the field, and changes nothing', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['PUT', '/admin/lines/L1/config', { heartbeat_interval: 0 }, 'heartbeat_interval must be 1–3600 seconds or null'],
      ['PUT', '/admin/lines/L1/config', { heartbeat_interval: '30' }, 'heartbeat_interval must be 1–3600 seconds or null'],
      ['PUT', '/admin/lines/L1/config', {}, 'heartbeat_interval must be 1–3600 seconds or null'],
      ['PUT', '/admin/lines/L%201/config', { heartbeat_interval: 30 }, 'line_id must be 1–64 letters, digits or _ . : -'],
      ['PUT', '/admin/devices/BUS-R2/config', { heartbeat_interval: 3601 }, 'heartbeat_interval must not be greater than 3600'],
    ];
    for (const [method, path, body, message] of cases) {
      expect([path, (await app.admin(method, path, body)).body]).toEqual([path, { ret_code: 1001, ret_msg: message }]);
    }
    expect(await interval(bus1)).toBe(7);
    expect(await interval(bus2)).toBe(7);
  });
});
