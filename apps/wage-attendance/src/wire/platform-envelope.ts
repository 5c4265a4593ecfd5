import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind, WireEnvelope, WireResponse } from '@onecard/kernel';

/**
 * A result with the message the document shows for its call (`绑定成功`, `查询数据成功` …: the
 * document leaves messages to the device side and gives these as its examples).
 */
export class Answer<T = unknown> {
  constructor(
    readonly message: string,
    readonly result: T,
  ) {}
}

/**
 * The device protocol's envelope: `{success, message, code, timestamp, result}`; code 200 on
 * success and 500 on every failure, as the document shows, with the message naming the field at
 * fault (401, also as the HTTP status, when the caller is not authenticated). `result` is `{}`
 * unless a call has something to answer.
 */
export class PlatformEnvelope implements WireEnvelope {
  success(result: unknown, _request: FastifyRequest): WireResponse {
    const answer = result instanceof Answer ? result : new Answer('success', result);
    return { status: 200, body: { success: true, message: answer.message, code: 200, timestamp: Date.now(), result: answer.result ?? {} } };
  }

  failure(error: AppError, _request: FastifyRequest): WireResponse {
    const unauthenticated = error.kind === ErrorKind.UNAUTHENTICATED;
    return {
      status: unauthenticated ? 401 : 200,
      body: { success: false, message: error.message, code: unauthenticated ? 401 : 500, timestamp: Date.now(), result: {} },
    };
  }
}
