import { Events } from '@onecard/contracts';
import { parseWireTime } from '@onecard/platform';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { ValidatorClient, wireNow } from './validator-client';

/**
 * Issue 17 item 2: telemetry as real firmware sends it never refuses a tap or drops a heartbeat.
 * Each request is sent as the exact JSON text a device would send.
 */
describe('transit-validation: telemetry in the field', () => {
  let app: TestApp<TransitValidationConfig> & { bus: TestBus };
  let bus: ValidatorClient;

  const post = (path: string, json: string) => app.http('POST', path, json, { 'content-type': 'application/json' });
  const metric = async (name: string, field: string) =>
    Number(new RegExp(`${name}\\{field="${field}"[^}]*\\} (\\d+)`).exec((await app.http('GET', '/metrics')).text)?.[1] ?? 0);
  /** A wall-clock second now, in the firmware's slashed form, and the instant it means once `.ms` is added. */
  const slashedNow = (ms: number) => {
    const second = wireNow();
    return { text: `${second.replace(/-/g, '/')}.${String(ms).padStart(3, '0')}`, at: new Date(parseWireTime(second)!.getTime() + ms).toISOString() };
  };

  beforeAll(async () => {
    app = await startTestApp(transitValidationApp);
    bus = await (await new ValidatorClient(app, 'BUS-T1', 'L1').register()).login();
    expect((await app.admin('POST', '/admin/cards', { card_no: '7E1E0001', flag: 1 })).body.ret_code).toBe(0);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('location_report: NMEA position, course -1, firmware 1.0.3 and a slashed time with milliseconds are stored, numbers where they parse', async () => {
    const time = slashedNow(250);
    const json =
      `{"req_id":"nmea-1","token":"${bus.token}","device_id":"BUS-T1","time":"${time.text}","lng":"12128.4220","lat":"3114.5000",` +
      `"course":"-1","speed":"32.5","check_mode":"0","check_card_mode":"0","qrcode_mode":"1","card_mode":"1","white_mode":"1",` +
      `"version_code_all":"","version_code_add":"","software_ver":"1.0.3","line_version_code_all":"","is_line_white":"0"}`;
    const res = await post('/location_report', json);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ req_id: 'nmea-1', ret_code: 0, ret_msg: '成功', enterprise_id: '398' });

    const [row] = await eventually(async () => {
      const rows = await app.db.query(
        `SELECT device_time, lng, lng_raw, lat, lat_raw, course, course_raw, speed, speed_raw, software_ver, software_ver_raw FROM location_report WHERE device_id = 'BUS-T1'`,
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect({ ...row, device_time: new Date(row.device_time).toISOString() }).toEqual({
      device_time: time.at,
      lng: 121.4737, lng_raw: '12128.4220',
      lat: 31.241666667, lat_raw: '3114.5000',
      course: null, course_raw: '-1',
      speed: 32.5, speed_raw: null,
      software_ver: null, software_ver_raw: '1.0.3',
    });
    const device = await app.admin('GET', '/admin/devices/BUS-T1');
    expect(device.body).toMatchObject({
      lng: 121.4737, lng_raw: '12128.4220', lat: 31.241666667, course: null, course_raw: '-1', speed: 32.5, speed_raw: null,
      software_ver: null, software_ver_raw: '1.0.3', online: true,
    });
    expect(await metric('transit_telemetry_converted_total', 'lng')).toBe(1);
    expect(await metric('transit_telemetry_converted_total', 'lat')).toBe(1);
    expect(await metric('transit_telemetry_unparsed_total', 'course')).toBe(1);
    expect(await metric('transit_telemetry_unparsed_total', 'software_ver')).toBe(1);
    expect(await metric('transit_telemetry_unparsed_total', 'speed')).toBe(0);
  });

  it('location_report: a heartbeat with no telemetry at all, or with junk in every telemetry field, is a heartbeat', async () => {
    const bare =
      `{"req_id":"bare","token":"${bus.token}","device_id":"BUS-T1","time":"${wireNow()}","check_mode":0,"check_card_mode":0,"qrcode_mode":1,` +
      `"card_mode":1,"white_mode":1,"version_code_all":"","version_code_add":"","line_version_code_all":"","is_line_white":0}`;
    expect((await post('/location_report', bare)).body).toMatchObject({ req_id: 'bare', ret_code: 0 });
    const junk =
      `{"req_id":"junk","token":"${bus.token}","device_id":"BUS-T1","time":"${wireNow()}","lng":"east","lat":123.5,"course":{"deg":90},` +
      `"speed":"32.5km/h","software_ver":true,"check_mode":0,"check_card_mode":0,"qrcode_mode":1,"card_mode":1,"white_mode":1,` +
      `"version_code_all":"","version_code_add":"","line_version_code_all":"","is_line_white":0}`;
    expect((await post('/location_report', junk)).body).toMatchObject({ req_id: 'junk', ret_code: 0 });
    const rows = await eventually(async () => {
      const r = await app.db.query(
        `SELECT lng, lng_raw, lat, lat_raw, course, course_raw, speed, speed_raw, software_ver, software_ver_raw FROM location_report
          WHERE device_id = 'BUS-T1' ORDER BY received_at`,
      );
      return r.length === 3 ? r : undefined;
    });
    expect(rows.slice(1)).toEqual([
      { lng: null, lng_raw: null, lat: null, lat_raw: null, course: null, course_raw: null, speed: null, speed_raw: null, software_ver: null, software_ver_raw: null },
      {
        lng: null, lng_raw: 'east', lat: null, lat_raw: '123.5', course: null, course_raw: '{"deg":90}', speed: null, speed_raw: '32.5km/h',
        software_ver: null, software_ver_raw: 'true',
      },
    ]);
  });

  it('card_check: a hemisphere-lettered position and a time with milliseconds still pass the rider, stored and published', async () => {
    const checked = app.bus.collect(Events.CardChecked);
    const time = slashedNow(7);
    const json = `{"req_id":"tap-1","token":"${bus.token}","device_id":"BUS-T1","check_mode":0,"card_id":"7e1e0001","lng":"E121.47","lat":"N31.23","time":"${time.text}"}`;
    const res = await post('/card_check', json);
    expect(res.body).toEqual({ req_id: 'tap-1', ret_code: 0, ret_msg: '成功', sound_no: 0 });
    const [event] = await checked.waitFor(1);
    expect(event).toMatchObject({ cardId: '7E1E0001', outcome: 'valid', mode: 'online', checkedAt: time.at });
    const [row] = await app.db.query(`SELECT checked_at, lng, lng_raw, lat, lat_raw FROM card_check WHERE card_id = '7E1E0001'`);
    expect({ ...row, checked_at: new Date(row.checked_at).toISOString() }).toEqual({ checked_at: time.at, lng: 121.47, lng_raw: 'E121.47', lat: 31.23, lat_raw: 'N31.23' });
    expect(await metric('transit_telemetry_converted_total', 'lng')).toBe(2);
  });

  it('offline logs and ticket checks: a position out of range or in no notation is kept as text and the log is stored', async () => {
    const time = `${wireNow(-60_000).replace(/-/g, '/')}`;
    const log = `{"req_id":"log-1","token":"${bus.token}","device_id":"BUS-T1","card_id":"7E1E0001","lng":"-200","lat":"","time":"${time}","status":"0"}`;
    expect((await post('/card_check_log', log)).body).toEqual({ req_id: 'log-1', ret_code: 0, ret_msg: '成功' });
    expect(await app.db.query(`SELECT lng, lng_raw, lat, lat_raw FROM card_check_log WHERE card_id = '7E1E0001'`)).toEqual([
      { lng: null, lng_raw: '-200', lat: null, lat_raw: null },
    ]);
    const qr = `{"req_id":"qr-1","token":"${bus.token}","device_id":"BUS-T1","qr_code":"not-a-ticket","lng":"12128.4220E","lat":"3114.5000 N","time":"${time}","status":"1"}`;
    expect((await post('/offline_qrcode_log', qr)).body).toEqual({ req_id: 'qr-1', ret_code: 0, ret_msg: '成功' });
    expect(await app.db.query(`SELECT lng, lng_raw, lat, lat_raw FROM qrcode_log WHERE device_id = 'BUS-T1'`)).toEqual([
      { lng: 121.4737, lng_raw: '12128.4220E', lat: 31.241666667, lat_raw: '3114.5000 N' },
    ]);
    const ticket = `{"req_id":"tc-1","token":"${bus.token}","device_id":"BUS-T1","check_mode":0,"qr_code":"not-a-ticket","lng":"W","lat":22.54,"time":"${time}"}`;
    expect((await post('/ticket_check', ticket)).body).toMatchObject({ req_id: 'tc-1', ret_code: 3002, sound_no: 6 });
    expect(await app.db.query(`SELECT lng, lng_raw, lat, lat_raw FROM ticket_check WHERE device_id = 'BUS-T1'`)).toEqual([
      { lng: null, lng_raw: 'W', lat: 22.54, lat_raw: null },
    ]);
  });

  it('stays strict where it protects money and identity: card numbers, times that are no time, signed timestamps', async () => {
    const badCard = `{"req_id":"c","token":"${bus.token}","device_id":"BUS-T1","check_mode":0,"card_id":"7E1E-0001","lng":"E121.47","time":"${wireNow()}"}`;
    expect((await post('/card_check', badCard)).body).toEqual({ req_id: 'c', ret_code: 1001, ret_msg: 'card_id must be 1–32 letters or digits', sound_no: 0 });
    const badTime = `{"req_id":"t","token":"${bus.token}","device_id":"BUS-T1","check_mode":0,"card_id":"7E1E0001","time":"2024/13/01 08:00:00"}`;
    expect((await post('/card_check', badTime)).body).toEqual({
      req_id: 't', ret_code: 1001, sound_no: 0,
      ret_msg: 'time must be a time (yyyy-MM-dd HH:mm:ss or yyyy/MM/dd HH:mm:ss, optionally .SSS; yyyyMMddHHmmss[SSS]; yyMMddHHmmss; unix seconds or ms)',
    });
    // get_token's timestamp is signed: the slashed form a heartbeat may use is refused there.
    const token = await app.http('POST', '/get_token', bus.signedTokenRequest({ timestamp: wireNow().replace(/-/g, '/') }));
    expect(token.body).toEqual({ req_id: 'tok-1', ret_code: 1001, ret_msg: 'timestamp must be unix time in seconds (10 digits) or milliseconds (13 digits)' });
  });
});
