import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind, WireEnvelope, WireResponse } from '@onecard/kernel';

/** Wire `code` per kind of failure; features may pin their own codes in FEATURE_CODES. */
const KIND_CODES: Record<ErrorKind, number> = {
  [ErrorKind.INVALID_INPUT]: 400,
  [ErrorKind.UNAUTHENTICATED]: 401,
  [ErrorKind.FORBIDDEN]: 403,
  [ErrorKind.NOT_FOUND]: 404,
  [ErrorKind.CONFLICT]: 409,
  [ErrorKind.PAYLOAD_TOO_LARGE]: 413,
  [ErrorKind.UNPROCESSABLE]: 422,
  [ErrorKind.TOO_MANY_REQUESTS]: 429,
  [ErrorKind.INTERNAL]: 500,
  [ErrorKind.UNAVAILABLE]: 503,
};

/**
 * The kiosk document's envelope: always HTTP 200, `{code, msg, success, status, data}` with
 * `code` 0 on success and `status` mirroring `code`.
 */
export class KioskEnvelope implements WireEnvelope {
  constructor(private readonly featureCodes: Record<string, number> = {}) {}

  success(result: unknown, _request: FastifyRequest): WireResponse {
    return { status: 200, body: { code: 0, msg: 'success', success: true, status: 0, data: result ?? null } };
  }

  failure(error: AppError, _request: FastifyRequest): WireResponse {
    const code = this.featureCodes[error.code] ?? KIND_CODES[error.kind];
    return { status: 200, body: { code, msg: error.message, success: false, status: code, data: null } };
  }
}
