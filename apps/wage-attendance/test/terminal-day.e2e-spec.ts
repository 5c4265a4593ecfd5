import { Events } from '@onecard/contracts';
import { formatWireTime } from '@onecard/platform';
import { eventually, startTestApp, TestApp, TestBus } from '@onecard/testing';
import { wageAttendanceApp } from '../src/app.definition';
import { FakePlatform } from './support/fake-platform';
import { attendanceEnv, call, CALLBACK_SECRET, newDeviceKey, ok, refused } from './support/platform-client';
import { recordGuid, TerminalClient } from './support/terminal-client';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 9)]);
const IDENTIFY_FIELDS = [
  'sn', 'operationTime', 'guid', 'deviceKey', 'personGuid', 'photoUrl', 'showTime', 'type', 'recMode', 'cardNo', 'recType',
  'personName', 'passTimeType', 'deviceType', 'permissionTimeType', 'recModeType',
];
/** HH:mm in Shanghai, `hours` from now. */
const clock = (hours: number) => formatWireTime(new Date(Date.now() + hours * 3_600_000), 'yyyy-MM-dd HH:mm:ss').slice(11, 16);

describe('wage-attendance: a terminal’s full day', () => {
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

  it('heartbeat → sync → ack → identify → callbacks, each once and in order; deleted, the terminal is refused', async () => {
    const identified = app.bus.collect(Events.PersonIdentified);
    // The platform registers a terminal, two workers (one with a photo) and authorises them.
    const deviceKey = newDeviceKey('GATE');
    const terminal = await TerminalClient.create(app, deviceKey, '东门闸机');
    const worker = (await call(app, '/person/create', { cardNo: '11010519491231002X', name: '李四', phone: '13800138000' })).body.result.guid;
    const carded = (await call(app, '/person/create', { cardNo: 'C0FFEE01', name: '王五' })).body.result.guid;
    platform.files.set('/photos/lisi.jpg', { status: 200, type: 'image/jpeg', body: JPEG });
    const faceGuid = (await call(app, '/person/photo', { guid: worker, photo: `http://127.0.0.1:${platform.port}/photos/lisi.jpg` })).body.result.faceGuid;
    const passTimes = `${clock(-1)}-${clock(1)}`;
    expect((await call(app, '/person/authorize', { guids: worker, permission: 1, passTimes, deviceKey })).body).toEqual(ok('批量授权人员到设备'));
    expect((await call(app, '/person/authorize', { guids: carded, permission: 2, passTimes: `${clock(2)}-${clock(3)}`, deviceKey })).body.success).toBe(true);

    // Morning: the terminal comes up.
    const beat = await terminal.heartbeat('6.0011');
    expect(beat.body).toEqual(ok('success', { serverTime: expect.any(Number), latestCursor: expect.stringMatching(/^[1-9]\d*$/) }));
    expect((await call(app, '/device/query', { deviceKey })).body.result).toMatchObject({
      state: 2, onlineState: 1, versionNo: '6.0011', lastActiveTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    });

    // It fetches what it must hold, with the photo.
    const sync = await terminal.sync();
    expect(sync.body.result).toEqual({
      cursor: beat.body.result.latestCursor,
      more: false,
      items: [
        { personGuid: worker, action: 'add', version: expect.any(String), name: '李四', cardNo: '11010519491231002X', cardBlocked: false, permission: 1, passTimes, permissionTime: '', faceGuid, photoPath: `/terminal/photo/${faceGuid}` },
        { personGuid: carded, action: 'add', version: beat.body.result.latestCursor, name: '王五', cardNo: 'C0FFEE01', cardBlocked: false, permission: 2, passTimes: expect.any(String), permissionTime: '', faceGuid: '' },
      ],
    });
    expect(await terminal.photo(`/terminal/photo/${faceGuid}`)).toEqual({ status: 200, type: 'image/jpeg', bytes: JPEG });
    expect((await terminal.sync(sync.body.result.cursor)).body.result).toEqual({ cursor: sync.body.result.cursor, more: false, items: [] });

    // It confirms both; a repeated confirmation sends nothing more.
    expect((await terminal.ack(worker, 'add', faceGuid)).body).toEqual(ok('success', { callback: true }));
    expect((await terminal.ack(carded, 'add', '')).body.result).toEqual({ callback: true });
    expect((await terminal.ack(worker, 'add', faceGuid)).body.result).toEqual({ callback: false });

    // Through the day: a face in its window, a card outside its window, a stranger, an ID card comparison, and a repeated upload.
    const now = Date.now();
    const face = { guid: recordGuid(), personGuid: worker, photoUrl: 'http://cam/1.jpg', showTime: String(now - 3000), type: 1, recMode: 1, cardNo: '', recType: 1, personName: '李四', deviceType: '2' };
    const card = { guid: recordGuid(), personGuid: carded, showTime: now - 2000, type: 1, recMode: 2, cardNo: 'c0ffee01', recType: 1, personName: '王五', deviceType: '2', passTimeType: 1, recModeType: '1' };
    const stranger = { guid: recordGuid(), personGuid: 'STRANGERBABY', showTime: String(now - 1000), type: 2, recMode: 1 };
    const idCardInfo = { name: '赵六', sex: '男', nation: '汉', birthday: '1990-01-01', idNum: '11010519491231002X', address: '海南省海口市', issuingOrgan: '海口市公安局', photoPath: 'http://cam/id.jpg', usefulLife: '2015.01.01-2035.01.01', compareResult: true, id: 0, createTime: now, deviceKey };
    const idCard = { guid: recordGuid(), personGuid: 'IDCARDBABY', showTime: String(now), type: 1, recMode: 4, cardNo: '', idCardInfo };
    const answers = [];
    for (const record of [face, card, stranger, idCard]) answers.push((await terminal.identify(record)).body);
    expect(answers).toEqual([
      ok('success', { guid: face.guid, duplicate: false, type: 1, passTimeType: 1, permissionTimeType: 3, recModeType: '1', cardBlocked: false, pass: true }),
      ok('success', { guid: card.guid, duplicate: false, type: 1, passTimeType: 2, permissionTimeType: 3, recModeType: '1', cardBlocked: false, pass: false }),
      ok('success', { guid: stranger.guid, duplicate: false, type: 2, passTimeType: 3, permissionTimeType: 3, recModeType: '2', cardBlocked: false, pass: false }),
      ok('success', { guid: idCard.guid, duplicate: false, type: 1, passTimeType: 3, permissionTimeType: 3, recModeType: '2', cardBlocked: false, pass: false }),
    ]);
    const again = await terminal.identify(face);
    expect(again.body.result).toEqual({ ...answers[0].result, duplicate: true });
    expect(await app.db.query(`SELECT count(*)::int AS n FROM recognition WHERE device_key = $1`, [deviceKey])).toEqual([{ n: 4 }]);

    // Evening: one worker is revoked; the terminal drops and confirms it.
    expect((await call(app, '/person/revoke', { guids: carded, deviceKey })).body).toEqual(ok('人员销权'));
    const evening = await terminal.sync(sync.body.result.cursor);
    expect(evening.body.result.items).toEqual([{ personGuid: carded, action: 'delete', version: evening.body.result.cursor }]);
    expect((await terminal.ack(carded, 'add', '')).body).toEqual(refused(`action: the latest change for person ${carded} here is delete; sync again`));
    expect((await terminal.ack(carded, 'delete')).body.result).toEqual({ callback: true });

    // The platform retires the terminal.
    await call(app, '/device/delete', { deviceKey });
    const refusedBeat = await terminal.heartbeat();
    expect(refusedBeat.status).toBe(200);
    expect(refusedBeat.body).toEqual(refused('x-device-key: this device was deleted (disabled)'));

    // The platform received everything once, in the day's order, each form exactly the document's fields.
    const mine = () => platform.received.filter((c) => c.form.deviceKey === deviceKey || c.form.sn === deviceKey);
    await eventually(() => mine().length >= 8, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const callbacks = mine();
    expect(callbacks.map((c) => c.path.split('/').pop())).toEqual(['addPerson', 'addPerson', 'identify', 'identify', 'identify', 'identify', 'deletePerson', 'deleteDevice']);
    expect(callbacks.every((c) => c.signatureValid && c.contentType === 'application/x-www-form-urlencoded')).toBe(true);
    expect(callbacks[0]).toMatchObject({ fields: ['deviceKey', 'confirmTime', 'personGuid', 'faceGuid'], form: { deviceKey, personGuid: worker, faceGuid } });
    expect(callbacks[1].form).toMatchObject({ personGuid: carded, faceGuid: '' });
    const [f, c, s, i] = callbacks.slice(2, 6);
    expect(f.fields).toEqual(IDENTIFY_FIELDS);
    expect(f.form).toEqual({
      sn: deviceKey, operationTime: formatWireTime(new Date(now - 3000), 'yyyy-MM-dd HH:mm:ss'), guid: face.guid, deviceKey, personGuid: worker, photoUrl: 'http://cam/1.jpg',
      showTime: String(now - 3000), type: '1', recMode: '1', cardNo: '', recType: '1', personName: '李四', passTimeType: '1', deviceType: '2', permissionTimeType: '3', recModeType: '1',
    });
    expect(c.form).toMatchObject({ guid: card.guid, cardNo: 'c0ffee01', passTimeType: '2', recModeType: '1', showTime: String(now - 2000) });
    expect(s.form).toMatchObject({ guid: stranger.guid, personGuid: 'STRANGERBABY', type: '2', recModeType: '2', recType: '1', personName: '' });
    expect(i.fields).toEqual([...IDENTIFY_FIELDS, 'idCardInfo']);
    expect(JSON.parse(i.form.idCardInfo)).toEqual(idCardInfo);
    expect(callbacks[6]).toMatchObject({ fields: ['deviceKey', 'confirmTime', 'personGuid'], form: { personGuid: carded } });
    expect(callbacks[7].fields).toEqual(['sn', 'operationTime']);

    // And person.identified went out once per record, without ID numbers.
    const events = (await identified.waitFor(4)).filter((e) => e.deviceKey === deviceKey);
    expect(events.map((e) => e.guid)).toEqual([face.guid, card.guid, stranger.guid, idCard.guid]);
    expect(events[1]).toMatchObject({ personGuid: carded, cardNo: 'c0ffee01', recMode: 2, type: 1, showTime: now - 2000, producer: 'wage-attendance' });
    expect(JSON.stringify(events)).not.toContain('11010519491231002X');
    identified.stop();
  });
});
