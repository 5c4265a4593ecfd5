import { ConsoleErrorCode } from '../http/console-error';
import { unwrap } from './envelopes';

const refused = (code: ConsoleErrorCode, message: string) => ({ ok: false, code, message });
const TOKEN_REFUSED = "the app refused the console's ADMIN_TOKEN";

describe('unwrap: each app\'s envelope taken off (docs/ADMIN-API.md)', () => {
  it('card-issuance: data of {code: 0 …}; 404/409/401 by code', () => {
    expect(unwrap('card-issuance', 200, { code: 0, msg: 'ok', success: true, status: 0, data: { total: 0 } })).toEqual({ ok: true, data: { total: 0 } });
    expect(unwrap('card-issuance', 200, { code: 400, msg: 'limit must be at most 1000', success: false, status: 400, data: null })).toEqual(refused(ConsoleErrorCode.UPSTREAM_REFUSED, 'limit must be at most 1000'));
    expect(unwrap('card-issuance', 200, { code: 404, msg: 'machineNo: no machine', success: false, status: 404, data: null })).toEqual(refused(ConsoleErrorCode.UPSTREAM_NOT_FOUND, 'machineNo: no machine'));
    expect(unwrap('card-issuance', 200, { code: 401, msg: 'authorization: bad token', success: false, status: 401, data: null })).toEqual(refused(ConsoleErrorCode.UPSTREAM_UNAUTHORIZED, TOKEN_REFUSED));
  });

  it('transit-validation: the body beside ret_code 0; 1002/1004/1005', () => {
    expect(unwrap('transit-validation', 200, { ret_code: 0, ret_msg: '成功', total: 1, items: [] })).toEqual({ ok: true, data: { total: 1, items: [] } });
    expect(unwrap('transit-validation', 200, { ret_code: 1001, ret_msg: 'limit must be an integer' })).toEqual(refused(ConsoleErrorCode.UPSTREAM_REFUSED, 'limit must be an integer'));
    expect(unwrap('transit-validation', 200, { ret_code: 1005, ret_msg: 'id: replayed already' })).toEqual(refused(ConsoleErrorCode.UPSTREAM_CONFLICT, 'id: replayed already'));
    expect(unwrap('transit-validation', 200, { ret_code: 1002, ret_msg: 'authorization: no' })).toEqual(refused(ConsoleErrorCode.UPSTREAM_UNAUTHORIZED, TOKEN_REFUSED));
  });

  it('campus-card: entities[0]; errno by kind', () => {
    expect(unwrap('campus-card', 200, { errno: 0, error: 'success', total: 0, entities: [{ items: [] }] })).toEqual({ ok: true, data: { items: [] } });
    expect(unwrap('campus-card', 409, { errno: 409, error: 'eventId: still no user', total: 0 })).toEqual(refused(ConsoleErrorCode.UPSTREAM_CONFLICT, 'eventId: still no user'));
    expect(unwrap('campus-card', 401, { errno: 401, error: 'authorization: no', total: 0 })).toEqual(refused(ConsoleErrorCode.UPSTREAM_UNAUTHORIZED, TOKEN_REFUSED));
  });

  it('wage-attendance: result of success; refusals by message', () => {
    expect(unwrap('wage-attendance', 200, { success: true, message: 'ok', code: 200, timestamp: 1, result: { replayed: 1 } })).toEqual({ ok: true, data: { replayed: 1 } });
    expect(unwrap('wage-attendance', 200, { success: false, message: 'id: no callback 9', code: 500, timestamp: 1, result: {} })).toEqual(refused(ConsoleErrorCode.UPSTREAM_REFUSED, 'id: no callback 9'));
    expect(unwrap('wage-attendance', 401, { success: false, message: 'authorization', code: 401, timestamp: 1, result: {} })).toEqual(refused(ConsoleErrorCode.UPSTREAM_UNAUTHORIZED, TOKEN_REFUSED));
  });

  it('tuya-bridge: result of success; 1011 and 1108', () => {
    expect(unwrap('tuya-bridge', 200, { success: true, t: 1, tid: 'x', result: { app: 'tuya-bridge' } })).toEqual({ ok: true, data: { app: 'tuya-bridge' } });
    expect(unwrap('tuya-bridge', 200, { success: false, t: 1, tid: 'x', code: 1108, msg: 'syncId: no run' })).toEqual(refused(ConsoleErrorCode.UPSTREAM_NOT_FOUND, 'syncId: no run'));
    expect(unwrap('tuya-bridge', 200, { success: false, t: 1, tid: 'x', code: 1011, msg: 'token invalid' })).toEqual(refused(ConsoleErrorCode.UPSTREAM_UNAUTHORIZED, TOKEN_REFUSED));
  });

  it('refuses an answer in no envelope (an HTML error page, another app\'s envelope)', () => {
    const invalid = refused(ConsoleErrorCode.UPSTREAM_INVALID, "answer not in the app's envelope");
    expect(unwrap('card-issuance', 502, '<html>')).toEqual(invalid);
    expect(unwrap('wage-attendance', 200, { code: 0, data: {} })).toEqual(invalid);
    expect(unwrap('transit-validation', 200, [])).toEqual(invalid);
  });
});
