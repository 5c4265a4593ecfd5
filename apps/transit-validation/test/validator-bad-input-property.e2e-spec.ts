import { describeBadInputProperty } from '@onecard/testing';
import { transitValidationApp } from '../src/app.definition';
import { TransitValidationConfig } from '../src/config';
import { ValidatorClient, wireNow } from './validator-client';

interface Validator {
  bus: ValidatorClient;
  tokenRequest: Record<string, unknown>;
  qrCode: string;
}

/** Answers, not refusals: a card or QR check's outcome (README "outcome codes") is recorded like a pass. */
const CHECK_OUTCOMES = new Set([2001, 2002, 2003, 2004, 3001, 3002, 3003, 3004]);

/** Issue 12's drill over the nine validator calls, with the device's token as a validator sends it. */
describeBadInputProperty<TransitValidationConfig, Validator>({
  app: transitValidationApp,
  // No offline sweep while it runs: a run longer than the validator's window (BAD_INPUT_RUNS) would
  // publish its offline between a refusal's two counts of `outbox`.
  env: { TRANSIT_HEARTBEAT_FLUSH_MS: '20', TRANSIT_OFFLINE_SWEEP_MS: '600000' },
  setup: async (app) => {
    const bus = await (await new ValidatorClient(app, 'BUS-PROP1', 'L1').register()).login();
    await app.admin('POST', '/admin/cards', { card_no: 'A1B2C3D4', flag: 1, line_ids: ['L1'] });
    const issued = await app.admin('POST', '/admin/qrcode/issue', { user_id: 'U-PROP' });
    return { bus, tokenRequest: bus.signedTokenRequest(), qrCode: issued.body.qr_code };
  },
  // The token goes in the header, so every body field is the mutations' to break.
  auth: ({ path }, { bus }): Record<string, string> => (path.startsWith('/get_token') ? {} : { authorization: `Bearer ${bus.token}` }),
  calls: [
    { name: 'get_token', method: 'POST', path: '/get_token', validBody: ({ tokenRequest }) => tokenRequest },
    {
      name: 'location_report',
      method: 'POST',
      path: '/location_report',
      validBody: ({ bus }) => ({
        req_id: 'hb', device_id: bus.deviceId, time: wireNow(), lng: '114.057868', lat: '22.543099', course: '90', speed: '32.5', check_mode: 0, check_card_mode: 0,
        qrcode_mode: 1, card_mode: 1, white_mode: 1, version_code_all: '', version_code_add: '', software_ver: 102, line_version_code_all: '', is_line_white: 0,
      }),
    },
    { name: 'get_card_list', method: 'POST', path: '/get_card_list', validBody: ({ bus }) => ({ req_id: 'list', device_id: bus.deviceId, type: 1 }) },
    { name: 'card_check', method: 'POST', path: '/card_check', validBody: ({ bus }) => ({ req_id: 'cc', device_id: bus.deviceId, check_mode: 0, card_id: 'A1B2C3D4', time: wireNow(), lng: '114.05', lat: '22.54' }) },
    { name: 'card_check_log', method: 'POST', path: '/card_check_log', validBody: ({ bus }) => ({ req_id: 'log', device_id: bus.deviceId, card_id: 'A1B2C3D4', time: wireNow(-60_000), status: '0', lng: '114.1', lat: '22.5' }) },
    { name: 'get_line_card_list', method: 'POST', path: '/get_line_card_list', validBody: ({ bus }) => ({ req_id: 'line', device_id: bus.deviceId, enterprise_id: '398' }) },
    { name: 'get_qrcode_keys', method: 'POST', path: '/get_qrcode_keys', validBody: { req_id: 'keys' } },
    { name: 'ticket_check', method: 'POST', path: '/ticket_check', validBody: ({ bus, qrCode }) => ({ req_id: 'tc', device_id: bus.deviceId, check_mode: 0, qr_code: qrCode, time: wireNow() }) },
    { name: 'offline_qrcode_log', method: 'POST', path: '/offline_qrcode_log', validBody: ({ bus, qrCode }) => ({ req_id: 'qlog', device_id: bus.deviceId, qr_code: qrCode, time: wireNow(-60_000), status: '0' }) },
  ],
  envelope: (body: any, request) => {
    expect(body).toEqual(expect.objectContaining({ ret_code: expect.any(Number), ret_msg: expect.any(String) }));
    if (body.req_id !== undefined) expect(typeof body.req_id).toBe('string');
    const check = /^\/(card_check|ticket_check)(\?|$)/.test(request.path);
    const ok = body.ret_code === 0 || (check && CHECK_OUTCOMES.has(body.ret_code));
    if (!ok) {
      // A refusal is the head alone: req_id when one could be read, and sound_no 0 on the check calls.
      const keys = ['req_id', 'ret_code', 'ret_msg', ...(check ? ['sound_no'] : [])].filter((k) => k !== 'req_id' || body.req_id !== undefined);
      expect(Object.keys(body).sort()).toEqual(keys.sort());
      if (check) expect(body.sound_no).toBe(0);
    }
    return { ok, code: body.ret_code, message: body.ret_msg };
  },
  internalCodes: [5000],
  // Not request_nonce: get_token claims a request's nonce before it checks its signature.
  tables: ['location_report', 'device_status', 'card_check', 'card_check_log', 'ticket_check', 'qrcode_log', 'qr_ticket_use', 'whitelist_card', 'device', 'outbox'],
  pendingGauges: ['transit_heartbeats_pending', 'transit_card_checks_pending'],
});
