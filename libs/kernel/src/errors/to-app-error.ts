import { HttpException } from '@nestjs/common';
import { errorCodes } from 'fastify';
import { AppError, ErrorKind } from './app-error';
import { DatabaseUnavailableError } from './database-unavailable';

const STATUS_KINDS: Record<number, ErrorKind> = {
  400: ErrorKind.INVALID_INPUT,
  401: ErrorKind.UNAUTHENTICATED,
  403: ErrorKind.FORBIDDEN,
  404: ErrorKind.NOT_FOUND,
  405: ErrorKind.NOT_FOUND,
  409: ErrorKind.CONFLICT,
  413: ErrorKind.PAYLOAD_TOO_LARGE,
  415: ErrorKind.INVALID_INPUT,
  422: ErrorKind.UNPROCESSABLE,
  429: ErrorKind.TOO_MANY_REQUESTS,
  503: ErrorKind.UNAVAILABLE,
};

/**
 * Fastify's body errors reach the filter re-thrown by Nest as HttpException(message, status),
 * without their FST_ code, so they are recognised by message.
 */
const FRAMEWORK_MESSAGES = new Map<string, string>([
  [new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY().message, 'body: malformed JSON'],
  [new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY().message, 'body: empty JSON body'],
  [new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE().message, 'body: request body too large'],
  [new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE().message.trim(), 'content-type: unsupported media type'],
  [new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH().message, 'body: content-length does not match the body'],
]);

function frameworkMessage(message: string): string | undefined {
  for (const [known, ours] of FRAMEWORK_MESSAGES) if (message.startsWith(known)) return ours;
  return undefined;
}

/** Socket-level failures reaching a server: nothing the caller did wrong. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * Postgres SQLSTATEs of a server that cannot serve now: connection exceptions (class 08), too many
 * connections, shutting down or starting up, and a statement cancelled by `statement_timeout` or
 * a lock wait cut short by `lock_timeout`.
 */
const UNAVAILABLE_SQLSTATES = /^(08...|53300|57P0[1-3]|57014|55P03)$/;

/** node-postgres's own words for a lost or unobtainable connection (it gives them no code). */
const PG_CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end)/;

type ErrorShape = { code?: unknown; message?: unknown; driverError?: unknown };

/** The error and what it wraps (TypeORM's QueryFailedError keeps the driver's as `driverError`, copying its `code`). */
function* causes(exception: unknown): Generator<ErrorShape> {
  let e = exception as ErrorShape | undefined;
  for (let i = 0; e && typeof e === 'object' && i < 3; e = e.driverError as ErrorShape | undefined, i++) yield e;
}

/** Whether an error says the database could not be reached or did not answer in time. */
export function isDatabaseUnavailable(exception: unknown): boolean {
  for (const e of causes(exception)) {
    if (e instanceof DatabaseUnavailableError) return true;
    if (typeof e.code === 'string' && UNAVAILABLE_SQLSTATES.test(e.code)) return true;
    if (typeof e.message === 'string' && PG_CONNECTION_MESSAGES.test(e.message)) return true;
  }
  return false;
}

function isConnectionFailure(exception: unknown): boolean {
  for (const e of causes(exception)) if (typeof e.code === 'string' && CONNECTION_ERRNOS.has(e.code)) return true;
  return false;
}

/** Converts anything thrown into an AppError the envelope can render. */
export function toAppError(exception: unknown): AppError {
  if (exception instanceof AppError) return exception;
  if (isDatabaseUnavailable(exception)) return new AppError(ErrorKind.UNAVAILABLE, ErrorKind.UNAVAILABLE, 'database: not answering; retry shortly');
  if (isConnectionFailure(exception)) return new AppError(ErrorKind.UNAVAILABLE, ErrorKind.UNAVAILABLE, 'a server this call needs is not answering; retry shortly');
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const kind = STATUS_KINDS[status] ?? (status >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_INPUT);
    const framework = frameworkMessage(exception.message);
    if (framework) return new AppError(kind, kind, framework, framework.split(':')[0]);
    const message = status === 404 ? 'no such path' : status >= 500 ? 'internal error' : exception.message;
    return new AppError(kind, kind, message);
  }
  return new AppError(ErrorKind.INTERNAL, ErrorKind.INTERNAL, 'internal error');
}
