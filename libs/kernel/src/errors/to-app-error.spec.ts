import { BadRequestException, HttpException } from '@nestjs/common';
import { errorCodes } from 'fastify';
import { AppError, ErrorKind } from './app-error';
import { DatabaseUnavailableError } from './database-unavailable';
import { isDatabaseUnavailable, toAppError } from './to-app-error';

/** TypeORM's QueryFailedError: the driver error's fields copied over, the driver error kept. */
const queryFailed = (driverError: Error & { code?: string }) => Object.assign(new Error(driverError.message), { code: driverError.code, driverError });
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('toAppError', () => {
  it('passes AppErrors through', () => {
    const error = new AppError(ErrorKind.CONFLICT, 'X', 'x: taken', 'x');
    expect(toAppError(error)).toBe(error);
  });

  it.each([
    ['a statement cancelled by statement_timeout', queryFailed(pgError('57014', 'canceling statement due to statement timeout'))],
    ['a connection failure SQLSTATE', pgError('08006', 'connection failure')],
    ['a server shutting down', queryFailed(pgError('57P01', 'terminating connection due to administrator command'))],
    ['too many connections', pgError('53300', 'sorry, too many clients already')],
    ['a lock wait cut short', queryFailed(pgError('55P03', 'canceling statement due to lock timeout'))],
    ['a connection lost mid-query', queryFailed(new Error('Connection terminated unexpectedly'))],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
    ['a connection not made in time', new Error('Connection terminated due to connection timeout')],
    ['a silent server', queryFailed(new DatabaseUnavailableError('database: no answer within 6000 ms; connection dropped'))],
    ['a refused connection', new DatabaseUnavailableError('database: cannot connect (connect ECONNREFUSED 127.0.0.1:5432)')],
  ])('reads %s as the database being unavailable', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(toAppError(error)).toMatchObject({ kind: ErrorKind.UNAVAILABLE, message: 'database: not answering; retry shortly' });
  });

  it('reads a bare socket failure as unavailable without blaming the database', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    expect(toAppError(refused)).toMatchObject({ kind: ErrorKind.UNAVAILABLE, message: 'a server this call needs is not answering; retry shortly' });
  });

  it('keeps other database errors internal, without their text', () => {
    const unique = queryFailed(pgError('23505', 'duplicate key value violates unique constraint "machine_pkey"'));
    expect(isDatabaseUnavailable(unique)).toBe(false);
    expect(toAppError(unique)).toMatchObject({ kind: ErrorKind.INTERNAL, message: 'internal error' });
    expect(toAppError(new RangeError('Maximum call stack size exceeded'))).toMatchObject({ kind: ErrorKind.INTERNAL, message: 'internal error' });
  });

  it("names Fastify's body refusals", () => {
    const media = new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE();
    expect(toAppError(new HttpException(media.message, 415))).toMatchObject({ kind: ErrorKind.INVALID_INPUT, message: 'content-type: unsupported media type', field: 'content-type' });
    expect(toAppError(new BadRequestException(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY().message))).toMatchObject({ message: 'body: malformed JSON' });
    expect(toAppError(new HttpException(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE().message, 413))).toMatchObject({ kind: ErrorKind.PAYLOAD_TOO_LARGE, message: 'body: request body too large' });
  });
});
