import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { wageAttendanceApp } from '../src/app.definition';
import { FakePlatform } from './support/fake-platform';
import { attendanceEnv, call, CALLBACK_SECRET, newDeviceKey, ok, refused, snapshot } from './support/platform-client';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(100, 1)]);

describe('wage-attendance: the supervision platform’s eight calls', () => {
  let app: TestApp & { bus: TestBus };
  let platform: FakePlatform;

  beforeAll(async () => {
    platform = await new FakePlatform(CALLBACK_SECRET).start();
    app = await startTestApp(wageAttendanceApp, { env: attendanceEnv(platform.url) });
  });
  afterAll(async () => {
    await app?.close();
    await platform?.stop();
  });

  async function person(cardNo: string, name = '张三'): Promise<string> {
    const res = await call(app, '/person/create', { cardNo, name });
    expect(res.body).toEqual(ok('注册人员', { guid: expect.stringMatching(/^[0-9A-F]{20}$/) }));
    return res.body.result.guid;
  }

  it('refuses a call without the platform token, or with another, in the envelope', async () => {
    const before = await snapshot(app);
    const missing = await call(app, '/device/create', { deviceKey: newDeviceKey(), deviceName: 'x' }, { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual(refused('authorization: Bearer platform token required', 401));
    const wrong = await call(app, '/person/create', { cardNo: '888', name: 'x' }, { token: 'not-the-token-at-all' });
    expect(wrong.body).toEqual(refused('authorization: platform token rejected', 401));
    expect(await snapshot(app)).toBe(before);
  });

  it('creates a device, answering its key and a secret shown once and sealed at rest', async () => {
    const deviceKey = newDeviceKey();
    const res = await call(app, '/device/create', { deviceKey, deviceName: '一号门闸机', deviceTag: '东门' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(ok('绑定成功', { deviceKey, secret: expect.stringMatching(/^[0-9a-f]{64}$/) }));
    const [row] = await app.db.query(`SELECT name, tag, state, secret_sealed FROM device WHERE device_key = $1`, [deviceKey]);
    expect(row).toMatchObject({ name: '一号门闸机', tag: '东门', state: 1 });
    expect(row.secret_sealed).not.toContain(res.body.result.secret);
    expect((await call(app, '/device/create', { deviceKey, deviceName: 'again' })).body).toEqual(refused(`deviceKey: device ${deviceKey} already exists`));
  });

  it('answers every documented field of a device; state 1 and offline until its terminal calls', async () => {
    const deviceKey = newDeviceKey();
    await call(app, '/device/create', { deviceKey, deviceName: '测试', deviceTag: '这是一个测试设备' });
    const res = await call(app, '/device/query', { deviceKey });
    expect(res.body).toEqual(
      ok('查询数据成功', {
        deviceKey, tag: '这是一个测试设备', name: '测试', state: 1, onlineState: 2, versionNo: null, lastActiveTime: null,
        createTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      }),
    );
    expect((await call(app, '/device/query', { deviceKey: 'NO-SUCH-DEVICE' })).body).toEqual(refused('deviceKey: no device NO-SUCH-DEVICE'));
  });

  it('deletes (disables) a device once, and tells the platform by the deleteDevice callback', async () => {
    const deviceKey = newDeviceKey();
    await call(app, '/device/create', { deviceKey, deviceName: 'gate' });
    expect((await call(app, '/device/delete', { deviceKey })).body).toEqual(ok('删除设备成功'));
    expect((await call(app, '/device/query', { deviceKey })).body.result).toMatchObject({ state: 3, onlineState: 2 });
    expect((await call(app, '/device/delete', { deviceKey })).body).toEqual(ok('删除设备成功'));
    await eventually(() => platform.received.some((c) => c.form.sn === deviceKey));
    const [callback] = platform.received.filter((c) => c.form.sn === deviceKey);
    expect(callback).toMatchObject({
      path: '/api/autosos/callback/otherDevices/deleteDevice',
      contentType: 'application/x-www-form-urlencoded',
      fields: ['sn', 'operationTime'],
      form: { sn: deviceKey, operationTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) },
      signatureValid: true,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(platform.received.filter((c) => c.form.sn === deviceKey)).toHaveLength(1);
    // Created again: afresh, unbound, with a new secret.
    const again = await call(app, '/device/create', { deviceKey, deviceName: 'gate 2' });
    expect(again.body.result.deviceKey).toBe(deviceKey);
    expect((await call(app, '/device/query', { deviceKey })).body.result).toMatchObject({ state: 1, name: 'gate 2' });
  });

  it('registers persons, answering their guid; a retried call gets the same guid, another person on the card is refused', async () => {
    const guid = await person('11010519491231002X', '李四');
    expect(await person('11010519491231002X', '李四')).toBe(guid);
    const other = await call(app, '/person/create', { cardNo: '11010519491231002X', name: '王五' });
    expect(other.body).toEqual(refused(`cardNo: already registered to person ${guid}`));
    const [row] = await app.db.query(`SELECT card_no, name, phone, tag FROM person WHERE guid = $1`, [guid]);
    expect(row).toEqual({ card_no: '11010519491231002X', name: '李四', phone: null, tag: '' });
    const tagged = await call(app, '/person/create', { cardNo: 'A1B2C3', name: '赵六', phone: '13800138000', Tag: '钢筋班' });
    const [t] = await app.db.query(`SELECT phone, tag FROM person WHERE guid = $1`, [tagged.body.result.guid]);
    expect(t).toEqual({ phone: '13800138000', tag: '钢筋班' });
  });

  it('deletes persons in a batch, all or nothing, and tells the terminals holding them', async () => {
    const deviceKey = newDeviceKey();
    await call(app, '/device/create', { deviceKey, deviceName: 'gate' });
    const [a, b] = [await person('90001'), await person('90002')];
    expect((await call(app, '/person/authorize', { guids: `${a},${b}`, permission: 1, deviceKey })).body).toEqual(ok('批量授权人员到设备'));
    const before = await snapshot(app);
    const unknown = '0123456789ABCDEF0123';
    expect((await call(app, '/person/batchDelete', { guids: `${a},${unknown}` })).body).toEqual(refused(`guids: no person ${unknown}`));
    expect(await snapshot(app)).toBe(before);
    expect((await call(app, '/person/batchDelete', { guids: ` ${a} , ${b}` })).body).toEqual(ok('删除平台人员'));
    const rows = await app.db.query(`SELECT person_guid, action, confirmed FROM authorisation WHERE device_key = $1 ORDER BY person_guid`, [deviceKey]);
    expect(rows).toEqual([a, b].sort().map((g) => ({ person_guid: g, action: 'delete', confirmed: false })));
    expect((await call(app, '/person/batchDelete', { guids: a })).body).toEqual(ok('删除平台人员'));
    // The card of a deleted person may be registered again, as a new person.
    expect(await person('90001')).not.toBe(a);
  });

  it('authorizes and revokes, queuing work for the terminal; unknown persons, devices or deleted ones change nothing', async () => {
    const deviceKey = newDeviceKey();
    await call(app, '/device/create', { deviceKey, deviceName: 'gate' });
    const g = await person('80001');
    const before = await snapshot(app);
    expect((await call(app, '/person/authorize', { guids: g, permission: 1, deviceKey: 'NOPE' })).body).toEqual(refused('deviceKey: no device NOPE'));
    expect((await call(app, '/person/revoke', { guids: g, deviceKey })).body).toEqual(refused(`guids: person ${g} is not authorised on device ${deviceKey}`));
    expect(await snapshot(app)).toBe(before);
    const authorize = { guids: g, permission: 3, passTimes: '07:00-12:00,13:00-19:00', deviceKey, permissionTime: '2024-01-01,2030-12-31' };
    expect((await call(app, '/person/authorize', authorize)).body).toEqual(ok('批量授权人员到设备'));
    const [first] = await app.db.query(`SELECT action, permission, pass_times, version::int FROM authorisation WHERE device_key = $1`, [deviceKey]);
    expect(first).toMatchObject({ action: 'add', permission: 3, pass_times: '07:00-12:00,13:00-19:00' });
    // The same again queues nothing new; a change is queued again.
    await call(app, '/person/authorize', authorize);
    expect((await app.db.query(`SELECT version::int FROM authorisation WHERE device_key = $1`, [deviceKey]))[0].version).toBe(first.version);
    await call(app, '/person/authorize', { ...authorize, permission: 1 });
    expect((await app.db.query(`SELECT version::int FROM authorisation WHERE device_key = $1`, [deviceKey]))[0].version).toBeGreaterThan(first.version);
    expect((await call(app, '/person/revoke', { guids: g, deviceKey })).body).toEqual(ok('人员销权'));
    expect((await app.db.query(`SELECT action FROM authorisation WHERE device_key = $1`, [deviceKey]))[0].action).toBe('delete');
    await call(app, '/device/delete', { deviceKey });
    expect((await call(app, '/person/authorize', authorize)).body).toEqual(refused(`deviceKey: device ${deviceKey} is deleted`));
  });

  it('registers a photo fetched from its URL, JPEG or PNG judged by its bytes; a failing URL is refused with the reason, nothing changed', async () => {
    const g = await person('70001');
    platform.files.set('/p/face.jpg', { status: 200, type: 'image/jpeg', body: JPEG });
    platform.files.set('/p/face.png', { status: 200, type: 'application/octet-stream', body: PNG });
    platform.files.set('/p/page.jpg', { status: 200, type: 'image/jpeg', body: Buffer.from('<html>not a photo</html>') });
    platform.files.set('/p/huge.jpg', { status: 200, type: 'image/jpeg', body: Buffer.concat([JPEG, Buffer.alloc(70_000)]) });
    platform.files.set('/p/slow.jpg', { status: 200, type: 'image/jpeg', body: JPEG, delayMs: 1500 });
    const base = `http://127.0.0.1:${platform.port}/p`;
    const before = await snapshot(app);
    const cases: Array<[string, string]> = [
      [`${base}/missing.jpg`, 'photo: no usable photo at that URL (the server answered HTTP 404)'],
      [`${base}/page.jpg`, 'photo: no usable photo at that URL (it is not a JPEG or PNG image)'],
      [`${base}/huge.jpg`, 'photo: no usable photo at that URL (larger than 65536 bytes)'],
      [`${base}/slow.jpg`, 'photo: no usable photo at that URL (no answer within 1000 ms)'],
      ['http://127.0.0.1:9/closed.jpg', 'photo: no usable photo at that URL (the server could not be reached)'],
    ];
    for (const [photo, message] of cases) expect((await call(app, '/person/photo', { guid: g, photo })).body).toEqual(refused(message));
    expect(await snapshot(app)).toBe(before);
    const jpeg = await call(app, '/person/photo', { guid: g, photo: `${base}/face.jpg` });
    expect(jpeg.body).toEqual(ok('给平台已有人员注册照片', { faceGuid: expect.stringMatching(/^[0-9A-F]{20}$/) }));
    expect((await call(app, '/person/photo', { guid: g, photo: `${base}/face.jpg` })).body.result.faceGuid).toBe(jpeg.body.result.faceGuid);
    const png = await call(app, '/person/photo', { guid: g, photo: `${base}/face.png` });
    const [stored] = await app.db.query(`SELECT p.face_guid, ph.content_type, length(ph.bytes)::int AS size FROM person p JOIN person_photo ph ON ph.face_guid = p.face_guid WHERE p.guid = $1`, [g]);
    expect(stored).toEqual({ face_guid: png.body.result.faceGuid, content_type: 'image/png', size: PNG.length });
    expect((await call(app, '/person/photo', { guid: '0123456789ABCDEF0123', photo: `${base}/face.jpg` })).body).toEqual(refused('guid: no person 0123456789ABCDEF0123'));
  });
});
