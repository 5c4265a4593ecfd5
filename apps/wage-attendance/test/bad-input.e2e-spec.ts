import { startTestApp, TestApp, TestBus } from '@onecard/testing';
import { wageAttendanceApp } from '../src/app.definition';
import { FakePlatform } from './support/fake-platform';
import { attendanceEnv, call, CALLBACK_SECRET, newDeviceKey, PLATFORM_TOKEN, refused, snapshot } from './support/platform-client';
import { recordGuid, TerminalClient } from './support/terminal-client';

const GUID = '0123456789ABCDEF0123';
const long = (n: number, c = 'a') => c.repeat(n);

/** [path, body, message]: each body is one field wrong, the rest right. */
function platformCases(deviceKey: string, guid: string): Array<[string, Record<string, unknown>, string]> {
  const device = { deviceKey: newDeviceKey('N'), deviceName: '闸机', deviceTag: '东门' };
  const person = { cardNo: 'C0FFEE99', name: '张三', phone: '13800138000', Tag: '钢筋班' };
  const authorize = { guids: guid, permission: 1, passTimes: '07:00-19:00', deviceKey };
  return [
    ['/device/create', { ...device, deviceKey: undefined }, 'deviceKey is required'],
    ['/device/create', { ...device, deviceKey: long(51) }, 'deviceKey must be at most 50 characters'],
    ['/device/create', { ...device, deviceKey: 'gate 1' }, 'deviceKey must be 1–50 letters, digits or _ . : -'],
    ['/device/create', { ...device, deviceName: undefined }, 'deviceName is required'],
    ['/device/create', { ...device, deviceName: long(21, '门') }, 'deviceName must be at most 20 characters'],
    ['/device/create', { ...device, deviceTag: long(21, '东') }, 'deviceTag must be at most 20 characters'],
    ['/device/query', { deviceKey: long(51) }, 'deviceKey must be at most 50 characters'],
    ['/device/delete', {}, 'deviceKey is required'],
    ['/person/create', { ...person, cardNo: undefined }, 'cardNo is required'],
    ['/person/create', { ...person, cardNo: '1234567890123456789' }, 'cardNo must be at most 18 characters'],
    ['/person/create', { ...person, cardNo: 'C0-FF' }, 'cardNo must be 1–18 letters or digits'],
    ['/person/create', { ...person, cardNo: '110105194912310021' }, 'cardNo looks like a resident ID number but its check digit or birth date is wrong'],
    ['/person/create', { ...person, name: '' }, 'name must not be empty'],
    ['/person/create', { ...person, name: long(21, '张') }, 'name must be at most 20 characters'],
    ['/person/create', { ...person, phone: '1380013800' }, 'phone must be 11 digits'],
    ['/person/create', { ...person, phone: '138001380001' }, 'phone must be 11 digits'],
    ['/person/create', { ...person, phone: '1380013800x' }, 'phone must be 11 digits'],
    ['/person/create', { ...person, Tag: long(51) }, 'Tag must be at most 50 characters'],
    ['/person/batchDelete', {}, 'guids is required'],
    ['/person/batchDelete', { guids: `${guid},` }, 'guids must be person guids (20 hex digits) separated by commas; item 2 is empty'],
    ['/person/batchDelete', { guids: 'abc' }, 'guids must be person guids (20 hex digits) separated by commas; item 1 is not one'],
    ['/person/batchDelete', { guids: Array(1001).fill(guid).join(',') }, 'guids must hold at most 1000 guids'],
    ['/person/authorize', { ...authorize, permission: 4 }, 'permission must be 0 (none), 1 (face), 2 (card) or 3 (face and card)'],
    ['/person/authorize', { ...authorize, permission: 'face' }, 'permission must be 0 (none), 1 (face), 2 (card) or 3 (face and card)'],
    ['/person/authorize', { ...authorize, permission: undefined }, 'permission is required'],
    ['/person/authorize', { ...authorize, passTimes: '07:00-12:00,13:00-19:00,20:00-21:00' }, 'passTimes must be at most 30 characters'],
    ['/person/authorize', { ...authorize, passTimes: '25:00-26:00' }, 'passTimes "25:00-26:00" is not a window HH:mm-HH:mm'],
    ['/person/authorize', { ...authorize, deviceKey: long(51) }, 'deviceKey must be at most 50 characters'],
    ['/person/authorize', { ...authorize, permissionTime: '2024-01-01' }, 'permissionTime must be start,end (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss; either may be empty)'],
    ['/person/revoke', { guids: guid }, 'deviceKey is required'],
    ['/person/revoke', { guids: 'x', deviceKey }, 'guids must be person guids (20 hex digits) separated by commas; item 1 is not one'],
    ['/person/photo', { guid, photo: `http://x.example/${long(84)}` }, 'photo must be at most 100 characters'],
    ['/person/photo', { guid, photo: 'ftp://x.example/a.jpg' }, 'photo must be an http or https URL'],
    ['/person/photo', { guid: 'lisi', photo: 'http://x.example/a.jpg' }, 'guid must be a person guid (20 hex digits) as /person/create answered'],
  ];
}

describe('wage-attendance: bad input is refused in the envelope, naming the field, changing nothing', () => {
  let app: TestApp & { bus: TestBus };
  let platform: FakePlatform;
  let terminal: TerminalClient;
  let guid: string;

  beforeAll(async () => {
    platform = await new FakePlatform(CALLBACK_SECRET).start();
    app = await startTestApp(wageAttendanceApp, { env: attendanceEnv(platform.url) });
    terminal = await TerminalClient.create(app, newDeviceKey('BAD'));
    guid = (await call(app, '/person/create', { cardNo: 'B0B0B0B0', name: '工人' })).body.result.guid;
    await call(app, '/person/authorize', { guids: guid, permission: 1, deviceKey: terminal.deviceKey });
  });
  afterAll(async () => {
    await app?.close();
    await platform?.stop();
  });

  it.each([['JSON', false], ['form-urlencoded', true]])('refuses every field limit of the eight calls, as %s', async (_kind, form) => {
    const before = await snapshot(app);
    for (const [path, body, message] of platformCases(terminal.deviceKey, guid)) {
      const sent = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      const res = await call(app, path, sent, { form });
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 200, body: refused(message) });
    }
    expect(await snapshot(app)).toBe(before);
  });

  it('takes every call as a form too, and answers a repeated form field, a wrong type or a broken body by name', async () => {
    const deviceKey = newDeviceKey('FORM');
    expect((await call(app, '/device/create', { deviceKey, deviceName: '表单' }, { form: true })).body).toMatchObject({ success: true, result: { deviceKey } });
    expect((await call(app, '/person/authorize', { guids: guid, permission: '2', deviceKey }, { form: true })).body).toMatchObject({ success: true });
    const before = await snapshot(app);
    const headers = { authorization: `Bearer ${PLATFORM_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' };
    expect((await app.http('POST', '/device/query', `deviceKey=${deviceKey}&deviceKey=other`, headers)).body).toEqual(refused('deviceKey must be a string'));
    expect((await call(app, '/device/create', { deviceKey: newDeviceKey(), deviceName: 7 })).body).toEqual(refused('deviceName must be a string'));
    expect((await call(app, '/person/create', '{"cardNo": ')).body).toEqual(refused('body: malformed JSON'));
    expect(await snapshot(app)).toBe(before);
  });

  it('never repeats an ID number or a phone number in its answers', async () => {
    const id = (await call(app, '/person/create', { cardNo: '110105194912310021', name: '张三' })).text;
    const phone = (await call(app, '/person/create', { cardNo: 'C0FFEE98', name: '张三', phone: '1380013800x' })).text;
    expect(id).not.toContain('110105194912310021');
    expect(phone).not.toContain('1380013800');
  });

  it('refuses unsigned, stale, replayed, tampered or foreign terminal calls, naming the header, changing nothing', async () => {
    const before = await snapshot(app);
    for (const header of ['x-device-key', 'x-timestamp', 'x-nonce', 'x-signature']) {
      const res = await terminal.heartbeat('1.0', { omit: [header] });
      expect({ header, status: res.status, body: res.body }).toEqual({ header, status: 401, body: refused(`${header}: header required`, 401) });
    }
    expect((await terminal.heartbeat('1.0', { nonce: 'short' })).body).toEqual(refused('x-nonce: malformed header', 401));
    expect((await terminal.heartbeat('1.0', { timestamp: String(Date.now() - 301_000) })).body).toEqual(refused('x-timestamp: more than 300 s from server time', 401));
    expect((await terminal.heartbeat('1.0', { secret: 'f'.repeat(64) })).body).toEqual(refused('x-signature: signature does not match the request', 401));
    const body = { deviceKey: terminal.deviceKey, versionNo: '1.0' };
    expect((await terminal.call('POST', '/terminal/heartbeat', body, { send: JSON.stringify({ ...body, versionNo: '9.9' }) })).body).toEqual(
      refused('x-signature: signature does not match the request', 401),
    );
    expect((await new TerminalClient(app, 'NO-SUCH-DEVICE', 'a'.repeat(64)).heartbeat()).body).toEqual(refused('x-device-key: unknown device', 401));
    const other = await TerminalClient.create(app, newDeviceKey('OTHER'));
    const foreign = await other.call('POST', '/terminal/heartbeat', { deviceKey: terminal.deviceKey, versionNo: '1.0' });
    expect(foreign.body).toEqual(refused('deviceKey: not the terminal that signed the request'));
    const after = await snapshot(app);
    expect((await terminal.heartbeat('2.0')).body.success).toBe(true);
    expect((await terminal.replay()).body).toEqual(refused('x-nonce: already used; sign a retried request again with a new nonce', 401));
    expect(after).not.toBe(before); // the other terminal was created
  });

  it('refuses malformed terminal bodies and queries, naming the field, storing nothing', async () => {
    const record = { guid: recordGuid(), personGuid: guid, showTime: String(Date.now()), type: 1, recMode: 1 };
    const cases: Array<[string, 'GET' | 'POST', string, unknown, string]> = [
      ['identify', 'POST', '/terminal/identify', { ...record, type: 3 }, 'type must be 1 (matched) or 2 (not matched)'],
      ['identify', 'POST', '/terminal/identify', { ...record, recMode: 5 }, 'recMode must be 1 face, 2 card, 3 face and card, 4 ID card comparison'],
      ['identify', 'POST', '/terminal/identify', { ...record, showTime: 'soon' }, 'showTime must be unix time in milliseconds or an instant like 2018-11-28T03:06:23+0000'],
      ['identify', 'POST', '/terminal/identify', { ...record, guid: 'a b' }, 'guid must be 1–64 letters, digits, _ or -'],
      ['identify', 'POST', '/terminal/identify', { ...record, cardNo: long(33, '1') }, 'cardNo must be at most 32 letters or digits'],
      ['identify', 'POST', '/terminal/identify', { ...record, idCardInfo: 'x' }, 'idCardInfo must be an object'],
      ['identify', 'POST', '/terminal/identify', { ...record, idCardInfo: { idNum: long(33, '1') } }, 'idCardInfo.idNum must be at most 32 characters'],
      ['ack', 'POST', '/terminal/ack', { personGuid: guid, action: 'maybe' }, 'action must be add or delete'],
      ['ack', 'POST', '/terminal/ack', { personGuid: 'x', action: 'add' }, 'personGuid must be a person guid (20 hex digits) as /person/create answered'],
      ['ack', 'POST', '/terminal/ack', { personGuid: GUID, action: 'add' }, `personGuid: person ${GUID} has nothing on this terminal`],
      ['sync', 'GET', '/terminal/sync?cursor=abc', undefined, 'cursor must be the cursor a sync answered (a whole number)'],
      ['photo', 'GET', '/terminal/photo/ABC', undefined, 'faceGuid must be a faceGuid (20 hex digits)'],
    ];
    const before = await snapshot(app);
    for (const [name, method, path, body, message] of cases) {
      const sent = body === undefined ? undefined : { deviceKey: terminal.deviceKey, ...(body as object) };
      const res = await terminal.call(method, path, sent);
      expect({ name, body: res.body }).toEqual({ name, body: refused(message) });
    }
    expect(await snapshot(app)).toBe(before);
  });
});
