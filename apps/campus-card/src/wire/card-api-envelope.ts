import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind, WireEnvelope, WireResponse } from '@onecard/kernel';

export interface Errno {
  errno: number;
  /** HTTP status: transport-level failures carry their own; business refusals are HTTP 200 as in the document. */
  http: number;
}

/** `errno` per kind; HTTP status follows it for transport-level failures (401/403 as DESIGN says). */
const KIND_ERRNO: Record<ErrorKind, Errno> = {
  [ErrorKind.INVALID_INPUT]: { errno: 400, http: 400 },
  [ErrorKind.UNAUTHENTICATED]: { errno: 401, http: 401 },
  [ErrorKind.FORBIDDEN]: { errno: 403, http: 403 },
  [ErrorKind.NOT_FOUND]: { errno: 404, http: 404 },
  [ErrorKind.CONFLICT]: { errno: 409, http: 200 },
  // The document answers business refusals (e.g. a photo failing review) as HTTP 200, errno 422.
  [ErrorKind.UNPROCESSABLE]: { errno: 422, http: 200 },
  [ErrorKind.PAYLOAD_TOO_LARGE]: { errno: 413, http: 413 },
  [ErrorKind.TOO_MANY_REQUESTS]: { errno: 429, http: 429 },
  [ErrorKind.INTERNAL]: { errno: 500, http: 500 },
  [ErrorKind.UNAVAILABLE]: { errno: 503, http: 503 },
};

/** What a campus-card handler returns: the entities (and total, when it differs from 0). */
export interface CardApiResult {
  total?: number;
  entities?: unknown[];
}

/** `{}` (errno, error and total only, as the document's setting calls answer), `{entities}`, `{total, entities}`. */
function isCardApiResult(value: unknown): value is CardApiResult {
  return value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).every((k) => k === 'entities' || k === 'total'));
}

/**
 * The card API's envelope: `{errno, error, total, entities}`, errno 0 on success. Feature codes
 * whose errno differs from their kind's are pinned in `featureErrno` (app.definition.ts).
 */
export class CardApiEnvelope implements WireEnvelope {
  constructor(private readonly featureErrno: Record<string, Errno> = {}) {}

  success(result: unknown, _request: FastifyRequest): WireResponse {
    // A handler returning a single object (operator calls) gets it as the one entity.
    const r: CardApiResult = isCardApiResult(result) ? (result ?? {}) : { entities: [result] };
    const body: Record<string, unknown> = { errno: 0, error: 'success', total: r.total ?? 0 };
    if (r.entities !== undefined) body.entities = r.entities;
    return { status: 200, body };
  }

  failure(error: AppError, _request: FastifyRequest): WireResponse {
    const { errno, http } = this.featureErrno[error.code] ?? KIND_ERRNO[error.kind];
    return { status: http, body: { errno, error: error.message, total: 0 } };
  }
}
