import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind, WireEnvelope, WireResponse } from '@onecard/kernel';
import { PersonnelCardsErrorCode } from '../personnel-cards/personnel-cards.errors';
import { TuyaRefused } from '../tuya-api/tuya-api.errors';

/** Tuya's global error codes (developer.tuya.com, "Global error codes") for the kinds of failure. */
const KIND_CODES: Record<ErrorKind, number> = {
  [ErrorKind.INVALID_INPUT]: 1109, // param is illegal
  [ErrorKind.UNAUTHENTICATED]: 1011, // token invalid
  [ErrorKind.FORBIDDEN]: 1106, // permission deny
  [ErrorKind.NOT_FOUND]: 1108, // uri path invalid
  [ErrorKind.CONFLICT]: 500,
  [ErrorKind.UNPROCESSABLE]: 500,
  [ErrorKind.PAYLOAD_TOO_LARGE]: 1109,
  [ErrorKind.TOO_MANY_REQUESTS]: 1199, // your requests are too frequent
  [ErrorKind.INTERNAL]: 500, // system error
  [ErrorKind.UNAVAILABLE]: 500,
};

/** Feature codes whose Tuya code differs from their kind's. */
const FEATURE_CODES: Record<string, number> = {
  [PersonnelCardsErrorCode.PERSON_NOT_FOUND]: 1000, // data not exist
};

const tid = () => randomUUID().replace(/-/g, '');

/**
 * Tuya's envelope for the bridge's local API: HTTP 200, `{success, t, tid, result}` or
 * `{success, t, tid, code, msg}`. A refusal Tuya itself gave (edit-password forwarded) keeps
 * Tuya's code and message.
 */
export class TuyaEnvelope implements WireEnvelope {
  success(result: unknown, _request: FastifyRequest): WireResponse {
    return { status: 200, body: { success: true, t: Date.now(), tid: tid(), result: result ?? null } };
  }

  failure(error: AppError, _request: FastifyRequest): WireResponse {
    if (error instanceof TuyaRefused) return { status: 200, body: { success: false, t: Date.now(), tid: tid(), code: error.tuyaCode, msg: error.tuyaMsg } };
    const code = FEATURE_CODES[error.code] ?? KIND_CODES[error.kind];
    return { status: 200, body: { success: false, t: Date.now(), tid: tid(), code, msg: error.message } };
  }
}
