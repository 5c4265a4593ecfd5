import { describeBadInputProperty } from '@onecard/testing';
import { wageAttendanceApp } from '../src/app.definition';
import { WageAttendanceConfig } from '../src/config';
import { attendanceEnv, call, newDeviceKey, PLATFORM_TOKEN } from './support/platform-client';
import { recordGuid, TerminalClient } from './support/terminal-client';

interface Site {
  terminal: TerminalClient;
  /** A device only /device/delete is sent for. */
  spareDevice: string;
  worker: string;
  revoked: string;
  deletable: string;
}

/**
 * Issue 12's drill over the supervision platform's eight calls (bearer token) and the terminals'
 * calls (signed over the bytes sent). The envelope's code is 500 for every refusal, as the
 * document shows; a server failure is told apart by its message.
 */
describeBadInputProperty<WageAttendanceConfig, Site>({
  app: wageAttendanceApp,
  // Callbacks go nowhere here: they stay queued, which the row counts allow for.
  env: attendanceEnv('http://127.0.0.1:9/api'),
  setup: async (app) => {
    const terminal = await TerminalClient.create(app, newDeviceKey('PROP'));
    const spareDevice = newDeviceKey('SPARE');
    await call(app, '/device/create', { deviceKey: spareDevice, deviceName: 'spare' });
    const person = async (cardNo: string) => (await call(app, '/person/create', { cardNo, name: '工人' })).body.result.guid as string;
    const [worker, revoked, deletable] = [await person('P0000001'), await person('P0000002'), await person('P0000003')];
    await call(app, '/person/authorize', { guids: `${worker},${revoked}`, permission: 3, deviceKey: terminal.deviceKey });
    return { terminal, spareDevice, worker, revoked, deletable };
  },
  auth: ({ method, path, body }, site) =>
    path.startsWith('/terminal/') ? site.terminal.headersFor(method, path, body.toString('utf8')) : { authorization: `Bearer ${PLATFORM_TOKEN}` },
  calls: [
    { name: 'device/create', method: 'POST', path: '/device/create', validBody: () => ({ deviceKey: newDeviceKey('C'), deviceName: '闸机', deviceTag: '东门' }) },
    { name: 'device/query', method: 'POST', path: '/device/query', validBody: (s) => ({ deviceKey: s.terminal.deviceKey }) },
    { name: 'device/delete', method: 'POST', path: '/device/delete', validBody: (s) => ({ deviceKey: s.spareDevice }) },
    { name: 'person/create', method: 'POST', path: '/person/create', validBody: { cardNo: '11010519491231002X', name: '李四', phone: '13800138000', Tag: '钢筋班' } },
    { name: 'person/batchDelete', method: 'POST', path: '/person/batchDelete', validBody: (s) => ({ guids: s.deletable }) },
    { name: 'person/authorize', method: 'POST', path: '/person/authorize', validBody: (s) => ({ guids: s.worker, permission: 3, passTimes: '07:00-19:00', deviceKey: s.terminal.deviceKey }) },
    { name: 'person/revoke', method: 'POST', path: '/person/revoke', validBody: (s) => ({ guids: s.revoked, deviceKey: s.terminal.deviceKey }) },
    // Refused (nothing listens there), but only once the body passed.
    { name: 'person/photo', method: 'POST', path: '/person/photo', validBody: (s) => ({ guid: s.worker, photo: 'http://127.0.0.1:9/face.jpg' }) },
    { name: 'terminal/heartbeat', method: 'POST', path: '/terminal/heartbeat', validBody: (s) => ({ deviceKey: s.terminal.deviceKey, versionNo: '6.0011' }) },
    { name: 'terminal/sync', method: 'GET', path: '/terminal/sync' },
    { name: 'terminal/ack', method: 'POST', path: '/terminal/ack', validBody: (s) => ({ deviceKey: s.terminal.deviceKey, personGuid: s.worker, action: 'add', faceGuid: '' }) },
    {
      name: 'terminal/identify',
      method: 'POST',
      path: '/terminal/identify',
      validBody: (s) => ({ guid: recordGuid(), deviceKey: s.terminal.deviceKey, personGuid: s.worker, showTime: String(Date.now()), type: 1, recMode: 3, cardNo: 'P0000001', recType: 1, personName: '工人', deviceType: '2' }),
    },
  ],
  envelope: (body: any) => {
    expect(body).toEqual({ success: expect.any(Boolean), message: expect.any(String), code: body?.success ? 200 : expect.any(Number), timestamp: expect.any(Number), result: expect.anything() });
    if (!body.success) expect(body.result).toEqual({});
    const internal = !body.success && /^(internal error|.*unavailable)/i.test(body.message);
    return { ok: body.success, code: internal ? 'INTERNAL' : body.code, message: body.message };
  },
  internalCodes: ['INTERNAL'],
  // Not request_nonce (a signed request claims its nonce before its body is judged).
  tables: ['device', 'person', 'person_photo', 'authorisation', 'card_block', 'recognition', 'callback', 'outbox'],
  pendingGauges: ['wage_identify_pending'],
});
