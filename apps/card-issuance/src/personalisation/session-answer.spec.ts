import { AppError, ErrorKind } from '@onecard/kernel';
import { encodeAnswer, errorAnswer, isSameReport, replayAnswer } from './session-answer';

describe('session answers', () => {
  it('replays a success with the same key order', () => {
    const data = { userId: 'u1', isFinished: false, cApdus: [{ index: 3, capdu: '0084000008', sws: '9000' }] };
    const text = encodeAnswer({ ok: true, data });
    expect(JSON.stringify(replayAnswer(text))).toBe(JSON.stringify(data));
  });

  it('replays a failure as the same error', () => {
    const error = new AppError(ErrorKind.UNPROCESSABLE, 'PERSONALISATION_FAILED', 'rapdu: card answered 6988', 'rapdu');
    const text = encodeAnswer(errorAnswer(error));
    expect(() => replayAnswer(text)).toThrow(expect.objectContaining({ kind: ErrorKind.UNPROCESSABLE, code: 'PERSONALISATION_FAILED', message: 'rapdu: card answered 6988', field: 'rapdu' }));
  });

  it('recognises a repeated report regardless of hex case', () => {
    const a = { apduIndex: 2, rapdu: '0102030405060708abcd9000', result: '0x00' as const };
    expect(isSameReport(a, { ...a, rapdu: a.rapdu.toUpperCase() })).toBe(true);
    expect(isSameReport(a, { ...a, apduIndex: 3 })).toBe(false);
    expect(isSameReport(a, { ...a, result: '0x01' })).toBe(false);
    expect(isSameReport(a, { ...a, rapdu: '9000' })).toBe(false);
    expect(isSameReport(null, a)).toBe(false);
  });
});
