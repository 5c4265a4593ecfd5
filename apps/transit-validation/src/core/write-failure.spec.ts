import { describeFailure, failureReason, isRowFault } from './write-failure';

const failure = (code: unknown, message = 'x') => Object.assign(new Error(message), { code });

describe('write failures', () => {
  it('blames a row for data exceptions, constraint violations and program limits only', () => {
    for (const code of ['22P02', '22021', '22001', '23505', '23514', '54000']) expect([code, isRowFault(failure(code))]).toEqual([code, true]);
    for (const code of ['08006', '57P01', '53300', '40001', '42P01', '42501', 'ECONNREFUSED', undefined, 22]) expect([code, isRowFault(failure(code))]).toEqual([code, false]);
    // TypeORM's QueryFailedError keeps the driver's error beside it.
    expect(isRowFault(Object.assign(new Error('q'), { driverError: { code: '22P02' } }))).toBe(true);
    expect(isRowFault(undefined)).toBe(false);
  });

  it('labels a failure with a bounded reason', () => {
    expect(failureReason(failure('42P01'))).toBe('42P01');
    expect(failureReason(failure('ECONNREFUSED'))).toBe('ECONNREFUSED');
    expect(failureReason(new Error('timeout exceeded when trying to connect'))).toBe('timeout');
    expect(failureReason(new Error('Connection terminated unexpectedly'))).toBe('other');
    expect(failureReason(failure('some free text as a code'))).toBe('other');
  });

  it('describes it as text Postgres can store, bounded', () => {
    expect(describeFailure(failure('22P02', 'invalid input syntax for type json'))).toBe('22P02: invalid input syntax for type json');
    const awkward = describeFailure(failure('22P02', `bad \u0000 and \ud800 and ${'🚌'.repeat(300)}`));
    expect(awkward).not.toContain('\u0000');
    expect((awkward as unknown as { isWellFormed(): boolean }).isWellFormed()).toBe(true);
    expect(awkward.length).toBeLessThanOrEqual(502);
  });
});
