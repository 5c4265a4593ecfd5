import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind } from '@onecard/kernel';
import { CardApiEnvelope } from './card-api-envelope';
import { CARD_API_ERRNO } from './card-api-errno';

describe('CardApiEnvelope', () => {
  const envelope = new CardApiEnvelope(CARD_API_ERRNO);
  const request = {} as FastifyRequest;

  it('wraps entities, an explicit total, a bare object, and nothing', () => {
    expect(envelope.success({ entities: [{ a: 1 }] }, request)).toEqual({ status: 200, body: { errno: 0, error: 'success', total: 0, entities: [{ a: 1 }] } });
    expect(envelope.success({ total: 3, entities: [] }, request).body).toEqual({ errno: 0, error: 'success', total: 3, entities: [] });
    expect(envelope.success({ cardNo: '1' }, request).body).toEqual({ errno: 0, error: 'success', total: 0, entities: [{ cardNo: '1' }] });
    expect(envelope.success({}, request).body).toEqual({ errno: 0, error: 'success', total: 0 });
    expect(envelope.success(undefined, request).body).toEqual({ errno: 0, error: 'success', total: 0 });
  });

  it('answers request problems with their HTTP status and business refusals with 200', () => {
    const fail = (kind: ErrorKind, code: string = kind) => envelope.failure(new AppError(kind, code, 'x: why', 'x'), request);
    expect(fail(ErrorKind.INVALID_INPUT)).toEqual({ status: 400, body: { errno: 400, error: 'x: why', total: 0 } });
    expect(fail(ErrorKind.UNAUTHENTICATED).status).toBe(401);
    expect(fail(ErrorKind.FORBIDDEN).status).toBe(403);
    expect(fail(ErrorKind.CONFLICT)).toEqual({ status: 200, body: { errno: 409, error: 'x: why', total: 0 } });
    expect(fail(ErrorKind.UNPROCESSABLE, 'INSUFFICIENT_BALANCE')).toEqual({ status: 200, body: { errno: 402, error: 'x: why', total: 0 } });
    expect(fail(ErrorKind.UNPROCESSABLE, 'QUERY_PASSWORD_LOCKED').body).toMatchObject({ errno: 423 });
    expect(fail(ErrorKind.UNPROCESSABLE, 'QUERY_PASSWORD_WRONG').body).toMatchObject({ errno: 422 });
  });
});
