import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind, WireEnvelope, WireResponse } from '@onecard/kernel';

/**
 * The device protocol's envelope: `{success, message, code, timestamp, result}`; code 200 on
 * success and 500 on failure, as the document shows (401 when the caller is not authenticated).
 */
export class PlatformEnvelope implements WireEnvelope {
  success(result: unknown, _request: FastifyRequest): WireResponse {
    return { status: 200, body: { success: true, message: 'success', code: 200, timestamp: Date.now(), result: result ?? {} } };
  }

  failure(error: AppError, _request: FastifyRequest): WireResponse {
    const unauthenticated = error.kind === ErrorKind.UNAUTHENTICATED;
    return {
      status: unauthenticated ? 401 : 200,
      body: { success: false, message: error.message, code: unauthenticated ? 401 : 500, timestamp: Date.now(), result: {} },
    };
  }
}
