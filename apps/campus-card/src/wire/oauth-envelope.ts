import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind, WireEnvelope, WireResponse } from '@onecard/kernel';

/** RFC 6749 §5.2 error code and HTTP status per kind of failure. */
const KIND_ERRORS: Record<ErrorKind, { error: string; status: number }> = {
  [ErrorKind.INVALID_INPUT]: { error: 'invalid_request', status: 400 },
  [ErrorKind.UNAUTHENTICATED]: { error: 'invalid_client', status: 401 },
  [ErrorKind.FORBIDDEN]: { error: 'access_denied', status: 403 },
  [ErrorKind.NOT_FOUND]: { error: 'invalid_request', status: 404 },
  [ErrorKind.CONFLICT]: { error: 'invalid_request', status: 409 },
  [ErrorKind.UNPROCESSABLE]: { error: 'invalid_request', status: 422 },
  [ErrorKind.PAYLOAD_TOO_LARGE]: { error: 'invalid_request', status: 413 },
  [ErrorKind.TOO_MANY_REQUESTS]: { error: 'temporarily_unavailable', status: 429 },
  [ErrorKind.INTERNAL]: { error: 'server_error', status: 500 },
  [ErrorKind.UNAVAILABLE]: { error: 'temporarily_unavailable', status: 503 },
};

/**
 * The OAuth2 endpoints' answers (RFC 6749), for what reaches them outside the library: a body
 * that cannot be parsed, one too large, an unexpected failure. The library's own answers (tokens,
 * its errors, redirects) and the login pages are written by the handlers themselves.
 */
export class OAuthEnvelope implements WireEnvelope {
  success(result: unknown, _request: FastifyRequest): WireResponse {
    return { status: 200, body: result ?? {} };
  }

  failure(error: AppError, _request: FastifyRequest): WireResponse {
    const { error: code, status } = KIND_ERRORS[error.kind];
    return { status, body: { error: code, error_description: error.message } };
  }
}
