import { HttpException } from '@nestjs/common';
import { errorCodes } from 'fastify';
import { AppError, ErrorKind } from './app-error';

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

/** Converts anything thrown into an AppError the envelope can render. */
export function toAppError(exception: unknown): AppError {
  if (exception instanceof AppError) return exception;
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
