import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind, WireEnvelope, WireResponse } from '@onecard/kernel';

/** Tuya's global error codes for the kinds of failure. */
const KIND_CODES: Record<ErrorKind, number> = {
  [ErrorKind.INVALID_INPUT]: 1109, // param is illegal
  [ErrorKind.UNAUTHENTICATED]: 1010, // token invalid
  [ErrorKind.FORBIDDEN]: 1106, // permission deny
  [ErrorKind.NOT_FOUND]: 1108, // uri path invalid / resource missing
  [ErrorKind.CONFLICT]: 500,
  [ErrorKind.UNPROCESSABLE]: 500,
  [ErrorKind.PAYLOAD_TOO_LARGE]: 1109,
  [ErrorKind.TOO_MANY_REQUESTS]: 40000309,
  [ErrorKind.INTERNAL]: 500,
  [ErrorKind.UNAVAILABLE]: 500,
};

/** Tuya's envelope for the bridge's local API: `{success, t, tid, result}` or `{success, t, tid, code, msg}`. */
export class TuyaEnvelope implements WireEnvelope {
  success(result: unknown, _request: FastifyRequest): WireResponse {
    return { status: 200, body: { success: true, t: Date.now(), tid: randomUUID().replace(/-/g, ''), result: result ?? null } };
  }

  failure(error: AppError, _request: FastifyRequest): WireResponse {
    return { status: 200, body: { success: false, t: Date.now(), tid: randomUUID().replace(/-/g, ''), code: KIND_CODES[error.kind], msg: error.message } };
  }
}
