import { CardholderData } from '../card/cardholder-file';
import { deriveCardKeys, parseUid } from '../card/card-keys';
import { PersonalisationInputError } from '../errors';
import { advancePersonalisation, startPersonalisation } from './personalisation';
import { KioskReport, PersonalisationFailure, PersonalisationInput, PersonalisationState } from './types';

const cardholder: CardholderData = {
  cardNo: '3100000000000123',
  name: '李四',
  idNumber: '110105199001011234',
  company: 'OneCard 测试公司',
  issueDate: '20250601',
  expiryDate: '20350531',
};

const input: PersonalisationInput = {
  uid: '04A1B2C3',
  cardholder,
  projectMasterKey: Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex'),
  algorithm: '3DES',
};

const ok = (lastIndex: number, rapdu: string): KioskReport => ({ lastIndex, rapdu, kioskResult: 'success' });

describe('startPersonalisation', () => {
  it('issues batch 1: SELECT MF then GET CHALLENGE', () => {
    const { state, batch } = startPersonalisation(input);
    expect(batch).toEqual([
      { index: 1, capdu: '00A40000023F00', sws: '9000' },
      { index: 2, capdu: '0084000008', sws: '9000' },
    ]);
    expect(state).toMatchObject({ step: 'OPEN_SESSION', lastIssuedIndex: 2, finished: false, failed: false, batchNumber: 1 });
    expect(state.outstanding).toMatchObject({ firstIndex: 1, lastIndex: 2, sws: ['9000', '9000'] });
  });

  it('produces a JSON-safe state without key material', () => {
    const { state } = startPersonalisation(input);
    const json = JSON.stringify(state);
    expect(JSON.parse(json)).toStrictEqual(state);
    const keys = deriveCardKeys(input.projectMasterKey, parseUid(input.uid), input.algorithm);
    for (const k of [input.projectMasterKey, ...Object.values(keys)]) expect(json.toUpperCase()).not.toContain(k.toString('hex').toUpperCase());
  });

  it.each([
    ['short uid', { uid: '0102' }, /uid/],
    ['odd uid', { uid: '0102030' }, /uid/],
    ['SM4 with 24-byte key', { algorithm: 'SM4' as const, projectMasterKey: Buffer.alloc(24) }, /master key/],
    ['3DES with 8-byte key', { projectMasterKey: Buffer.alloc(8) }, /master key/],
    ['bad date', { cardholder: { ...cardholder, issueDate: '20251301' } }, /issueDate/],
    ['unknown algorithm', { algorithm: 'AES' as never }, /algorithm/],
  ])('rejects %s', (_n, patch, msg) => {
    expect(() => startPersonalisation({ ...input, ...patch })).toThrow(PersonalisationInputError);
    expect(() => startPersonalisation({ ...input, ...patch })).toThrow(msg);
  });
});

describe('advancePersonalisation report checks', () => {
  const { state } = startPersonalisation(input);
  const challenge = '1122334455667788';

  it('moves on to CREATE_APPLICATION with continuing indexes', () => {
    const out = advancePersonalisation(state, input, ok(2, `${challenge}9000`));
    if (out.kind !== 'next') throw new Error(out.kind);
    expect(out.batch.map((s) => s.index)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(out.batch[0].capdu.startsWith('0082000008')).toBe(true);
    expect(out.batch.at(-1)?.capdu).toBe('0084000004');
    expect(out.state).toMatchObject({ step: 'CREATE_APPLICATION', lastIssuedIndex: 9, batchNumber: 2 });
  });

  it('fails with WRONG_INDEX when the index is not the end of the batch', () => {
    expect(advancePersonalisation(state, input, ok(3, `${challenge}9000`))).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.WRONG_INDEX });
    expect(advancePersonalisation(state, input, ok(0, '9000'))).toMatchObject({ reason: PersonalisationFailure.WRONG_INDEX });
    // Stopped early although the SW matched.
    const early = advancePersonalisation(state, input, ok(1, '9000'));
    expect(early).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.WRONG_INDEX });
    expect(early.kind === 'failed' && early.message).toMatch(/stopped at #1/);
  });

  it('fails with UNEXPECTED_STATUS_WORD naming the SW and its meaning', () => {
    const out = advancePersonalisation(state, input, ok(1, '6A82'));
    expect(out.kind).toBe('failed');
    if (out.kind !== 'failed') return;
    expect(out.reason).toBe(PersonalisationFailure.UNEXPECTED_STATUS_WORD);
    expect(out.message).toContain('6A82');
    expect(out.message).toContain('File or application not found');
    expect(out.message).toContain('SELECT MF');
    expect(out.state).toMatchObject({ step: 'FAILED', failed: true, outstanding: null });
  });

  it.each([
    ['non-hex', 'ZZ9000'],
    ['odd length', '11229000F'],
    ['too short', '90'],
    ['challenge of the wrong size', '11229000'],
  ])('fails with MALFORMED_RESPONSE on %s', (_n, rapdu) => {
    expect(advancePersonalisation(state, input, ok(2, rapdu))).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.MALFORMED_RESPONSE });
  });

  it('fails with KIOSK_REPORTED_FAILURE', () => {
    const out = advancePersonalisation(state, input, { lastIndex: 2, rapdu: '6F00', kioskResult: 'failure' });
    expect(out).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.KIOSK_REPORTED_FAILURE });
    expect(out.kind === 'failed' && out.message).toMatch(/6F00/);
  });

  it('answers a repeated report identically, from the old or the new state', () => {
    const report = ok(2, `${challenge}9000`);
    const first = advancePersonalisation(state, input, report);
    expect(advancePersonalisation(state, input, report)).toStrictEqual(first);
    expect(advancePersonalisation(first.state, input, { ...report, rapdu: report.rapdu.toLowerCase() })).toStrictEqual(first);
    const viaJson = JSON.parse(JSON.stringify(first.state)) as PersonalisationState;
    expect(advancePersonalisation(viaJson, input, report)).toStrictEqual(first);
  });

  it('stays failed: a repeat gets the same outcome, anything else the same reason', () => {
    const failed = advancePersonalisation(state, input, ok(2, '6581'));
    expect(advancePersonalisation(failed.state, input, ok(2, '6581'))).toStrictEqual(failed);
    const later = advancePersonalisation(failed.state, input, ok(2, `${challenge}9000`));
    expect(later).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.UNEXPECTED_STATUS_WORD, state: failed.state });
  });

  it('refuses input that differs from the session', () => {
    const other = { ...input, cardholder: { ...cardholder, name: '王五' } };
    expect(() => advancePersonalisation(state, other, ok(2, `${challenge}9000`))).toThrow(PersonalisationInputError);
  });
});

describe('the application probe in batch 2 (a card an interrupted run already worked on)', () => {
  const started = startPersonalisation(input);
  const batch2 = advancePersonalisation(started.state, input, ok(2, '11223344556677889000'));
  if (batch2.kind !== 'next') throw new Error(batch2.kind);
  const fci = '6F0A8408F04F4E45434152449000';

  it('expects 6A82 from SELECT application (#4) and records 9000 as the answer to branch on', () => {
    expect(batch2.batch[1]).toEqual({ index: 4, capdu: '00A4040008F04F4E454341524400', sws: '6A82' });
    expect(batch2.state.outstanding).toMatchObject({ firstIndex: 3, lastIndex: 9, branchSws: [null, '9000', null, null, null, null, null] });
  });

  it('answers the found application with ERASE DF and the application files again, then goes on to the keys', () => {
    const found = advancePersonalisation(batch2.state, input, ok(4, fci));
    if (found.kind !== 'next') throw new Error(found.kind);
    expect(found.batch.map((s) => s.capdu)).toEqual(['800E000000', '80E00000073F010001F0FFFF', '80E0001607A80200F0F0FFFF', '00A4040008F04F4E454341524400', '0084000004']);
    expect(found.batch.map((s) => s.index)).toEqual([10, 11, 12, 13, 14]);
    expect(found.batch.every((s) => s.sws === '9000')).toBe(true);
    expect(found.state).toMatchObject({ step: 'RECREATE_APPLICATION', lastIssuedIndex: 14, batchNumber: 3 });
    expect(found.state.outstanding?.branchSws).toBeUndefined();
    // A repeat of the report that found it gets the same batch.
    expect(advancePersonalisation(found.state, input, ok(4, fci))).toStrictEqual(found);

    const keys = advancePersonalisation(found.state, input, ok(14, '0A0B0C0D9000'));
    expect(keys).toMatchObject({ kind: 'next', state: { step: 'WRITE_KEY', keyIndex: 0, lastIssuedIndex: 16 } });
    expect(keys.kind === 'next' && keys.batch[0].capdu).toMatch(/^84D40100/); // WRITE KEY 00 under SM
  });

  it('still fails on any other status word at the probe, and on an early stop at its expected 6A82', () => {
    const other = advancePersonalisation(batch2.state, input, ok(4, '6982'));
    expect(other).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.UNEXPECTED_STATUS_WORD });
    expect(other.kind === 'failed' && other.message).toMatch(/#4 \(SELECT application \(absent on a blank card\)\) returned 6982.*expected 6A82/);
    expect(advancePersonalisation(batch2.state, input, ok(4, '6A82'))).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.WRONG_INDEX });
    // 9000 is an answer only where the script asked for one.
    expect(advancePersonalisation(batch2.state, input, ok(5, '9000'))).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.WRONG_INDEX });
    expect(advancePersonalisation(batch2.state, input, ok(5, '6A89'))).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.UNEXPECTED_STATUS_WORD });
  });

  it('keeps a session stored before probes existed working: without branchSws, 9000 at #4 is a stop like any other', () => {
    const { branchSws: _dropped, ...old } = batch2.state.outstanding!;
    const stored = { ...batch2.state, outstanding: old } as PersonalisationState;
    expect(advancePersonalisation(stored, input, ok(4, fci))).toMatchObject({ kind: 'failed', reason: PersonalisationFailure.UNEXPECTED_STATUS_WORD });
  });
});
