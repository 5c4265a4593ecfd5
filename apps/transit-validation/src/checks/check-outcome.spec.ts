import { CHECK_OUTCOMES } from '@onecard/contracts';
import { loadConfig } from '@onecard/kernel';
import { TransitValidationConfig } from '../config';
import { CHECK_ANSWERS, checkAnswers, decideCardCheck, offlineOutcome, parseSoundNumbers } from './check-outcome';

describe('card check decision', () => {
  const device = { whiteMode: 1, isLineWhite: 0, lineId: 'L1', inWindow: true };
  const valid = { flag: 1 as const, lineIds: ['L1'] };

  it('accepts a valid card on the list', () => {
    expect(decideCardCheck({ ...device, entry: valid })).toBe('valid');
  });

  it('refuses a card that is not on the list while the whitelist is on, and lets it pass when it is off', () => {
    expect(decideCardCheck({ ...device })).toBe('not-listed');
    expect(decideCardCheck({ ...device, whiteMode: 0 })).toBe('valid');
  });

  it('refuses an invalid (lost, frozen, blacklisted) card even with the whitelist off', () => {
    expect(decideCardCheck({ ...device, entry: { flag: 0, lineIds: [] } })).toBe('invalid');
    expect(decideCardCheck({ ...device, whiteMode: 0, entry: { flag: 0, lineIds: [] } })).toBe('invalid');
  });

  it('checks the line only when the line whitelist is on', () => {
    const elsewhere = { flag: 1 as const, lineIds: ['L2'] };
    expect(decideCardCheck({ ...device, entry: elsewhere })).toBe('valid');
    expect(decideCardCheck({ ...device, isLineWhite: 1, entry: elsewhere })).toBe('wrong-line');
    expect(decideCardCheck({ ...device, isLineWhite: 1, entry: valid })).toBe('valid');
    expect(decideCardCheck({ ...device, isLineWhite: 1, whiteMode: 0 })).toBe('wrong-line');
  });

  it('refuses everything outside the check window first', () => {
    expect(decideCardCheck({ ...device, inWindow: false, entry: valid })).toBe('outside-window');
    expect(decideCardCheck({ ...device, inWindow: false, entry: { flag: 0, lineIds: [] } })).toBe('outside-window');
  });

  it('gives every outcome its own ret_code and sound_no, 0 only for valid', () => {
    const answers = CHECK_OUTCOMES.map((o) => CHECK_ANSWERS[o]);
    expect(new Set(answers.map((a) => a.ret_code)).size).toBe(CHECK_OUTCOMES.length);
    expect(new Set(answers.map((a) => a.sound_no)).size).toBe(CHECK_OUTCOMES.length);
    expect(CHECK_ANSWERS.valid).toEqual({ ret_code: 0, sound_no: 0, ret_msg: '成功' });
    for (const o of CHECK_OUTCOMES.filter((x) => x !== 'valid')) expect(CHECK_ANSWERS[o].ret_code).not.toBe(0);
  });

  it('reads an offline log status', () => {
    expect([0, 1, 2].map(offlineOutcome)).toEqual(['valid', 'not-listed', 'invalid']);
  });
});

describe('voice packages (TRANSIT_SOUND_NOS)', () => {
  it("sets a deployment's numbers and keeps the defaults for the rest", () => {
    const table = checkAnswers('invalid:12, replayed:0');
    expect(table.invalid).toEqual({ ...CHECK_ANSWERS.invalid, sound_no: 12 });
    expect(table.replayed.sound_no).toBe(0);
    expect(table['not-listed']).toEqual(CHECK_ANSWERS['not-listed']);
    expect(checkAnswers(undefined)).toEqual(CHECK_ANSWERS);
  });

  it('refuses an unknown outcome or a number out of range, naming the entry', () => {
    expect(() => parseSoundNumbers('lost:3')).toThrow(/"lost:3" is not outcome:number/);
    expect(() => parseSoundNumbers('invalid:256')).toThrow(/"invalid:256"/);
    expect(() => parseSoundNumbers('invalid=2')).toThrow(/"invalid=2"/);
  });

  it('stops start-up naming the variable', () => {
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', NATS_URL: 'nats://127.0.0.1:4222', ADMIN_TOKEN: 'a-long-enough-admin-token', TRANSIT_SOUND_NOS: 'lost:3' };
    expect(() => loadConfig(TransitValidationConfig, env, { PORT: 3002, DB_SCHEMA: 'transit_validation' })).toThrow(/TRANSIT_SOUND_NOS: "lost:3"/);
  });
});
