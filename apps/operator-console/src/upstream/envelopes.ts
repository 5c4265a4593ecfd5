import { AppName } from '@onecard/contracts';
import { ConsoleErrorCode } from '../http/console-error';

/** An app's answer with its envelope taken off: the answer itself, or why not (docs/ADMIN-API.md, "The envelope"). */
export type Unwrapped = { ok: true; data: unknown } | { ok: false; code: ConsoleErrorCode; message: string };

type Body = Record<string, unknown>;
type Reader = (status: number, body: Body) => Unwrapped;

const refused = (code: ConsoleErrorCode, message: unknown): Unwrapped => ({ ok: false, code, message: typeof message === 'string' && message ? message : 'refused' });

/** What each app's failure codes mean, from its envelope's code to the console's. */
function byCode(code: unknown, table: Record<number, ConsoleErrorCode>): ConsoleErrorCode {
  return (typeof code === 'number' && table[code]) || ConsoleErrorCode.UPSTREAM_REFUSED;
}

const READERS: Record<AppName, Reader> = {
  // {code: 0, msg, success, status, data}
  'card-issuance': (_status, body) =>
    body.code === 0 && body.success === true
      ? { ok: true, data: body.data }
      : typeof body.code === 'number'
        ? refused(byCode(body.code, { 401: ConsoleErrorCode.UPSTREAM_UNAUTHORIZED, 404: ConsoleErrorCode.UPSTREAM_NOT_FOUND, 409: ConsoleErrorCode.UPSTREAM_CONFLICT }), body.msg)
        : unreadable(),
  // the answer beside {ret_code: 0, ret_msg}
  'transit-validation': (_status, body) => {
    if (body.ret_code === 0) {
      const { ret_code: _code, ret_msg: _msg, req_id: _req, ...answer } = body;
      return { ok: true, data: answer };
    }
    return typeof body.ret_code === 'number'
      ? refused(byCode(body.ret_code, { 1002: ConsoleErrorCode.UPSTREAM_UNAUTHORIZED, 1004: ConsoleErrorCode.UPSTREAM_NOT_FOUND, 1005: ConsoleErrorCode.UPSTREAM_CONFLICT }), body.ret_msg)
      : unreadable();
  },
  // {errno: 0, error, total, entities: [answer]}
  'campus-card': (_status, body) =>
    body.errno === 0 && Array.isArray(body.entities)
      ? { ok: true, data: body.entities[0] }
      : typeof body.errno === 'number'
        ? refused(byCode(body.errno, { 401: ConsoleErrorCode.UPSTREAM_UNAUTHORIZED, 404: ConsoleErrorCode.UPSTREAM_NOT_FOUND, 409: ConsoleErrorCode.UPSTREAM_CONFLICT }), body.error)
        : unreadable(),
  // {success, message, code: 200, timestamp, result}; not found and conflict are both code 500 there
  'wage-attendance': (_status, body) =>
    body.success === true
      ? { ok: true, data: body.result }
      : body.success === false
        ? refused(byCode(body.code, { 401: ConsoleErrorCode.UPSTREAM_UNAUTHORIZED }), body.message)
        : unreadable(),
  // {success, t, tid, result} / {success: false, code, msg}
  'tuya-bridge': (_status, body) =>
    body.success === true
      ? { ok: true, data: body.result }
      : body.success === false
        ? refused(byCode(body.code, { 1011: ConsoleErrorCode.UPSTREAM_UNAUTHORIZED, 1108: ConsoleErrorCode.UPSTREAM_NOT_FOUND }), body.msg)
        : unreadable(),
};

function unreadable(): Unwrapped {
  return { ok: false, code: ConsoleErrorCode.UPSTREAM_INVALID, message: 'answer not in the app\'s envelope' };
}

/** Takes the app's envelope off an answer (any HTTP status: some apps refuse with 200, some with 4xx). */
export function unwrap(app: AppName, status: number, body: unknown): Unwrapped {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return unreadable();
  const answer = READERS[app](status, body as Body);
  // The app's refusal of our ADMIN_TOKEN is the console's misconfiguration, said without the app's words.
  if (!answer.ok && answer.code === ConsoleErrorCode.UPSTREAM_UNAUTHORIZED) return { ok: false, code: answer.code, message: 'the app refused the console\'s ADMIN_TOKEN' };
  return answer;
}
