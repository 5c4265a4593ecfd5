import { APP_AID } from './profile';
import {
  createBinaryEf, createDf, createKeyFile, eraseDf, externalAuthenticate, getChallenge, readBinary, selectByAid, selectByFid,
  updateBinary, writeKey,
} from './commands';
import { decodeKeyRecord, encodeKeyRecord } from './key-record';
import { CryptoInputError } from '../errors';

describe('FMCOS command builders', () => {
  it('builds the selection and security commands', () => {
    expect(selectByFid(0x3f00).toHex()).toBe('00A40000023F00');
    expect(selectByAid(APP_AID).toHex()).toBe('00A4040008F04F4E454341524400');
    expect(getChallenge(8).toHex()).toBe('0084000008');
    expect(externalAuthenticate(0, Buffer.alloc(8, 0x11)).toHex()).toBe('00820000081111111111111111');
  });

  it('builds CREATE FILE bodies', () => {
    expect(createDf(0x1001, 0x0800, APP_AID).toHex()).toBe('80E0100110380800F0F095FFFFF04F4E4543415244');
    expect(createKeyFile(0x100).toHex()).toBe('80E00000073F010001F0FFFF');
    expect(createBinaryEf(0x16, 0x200, true).toHex()).toBe('80E0001607A80200F0F0FFFF');
    expect(createBinaryEf(0x16, 0x200, false).toHex()).toBe('80E0001607280200F0F0FFFF');
    expect(eraseDf().toHex()).toBe('800E000000');
  });

  it('builds binary and key commands', () => {
    expect(updateBinary(0x0123, Buffer.from([1, 2])).toHex()).toBe('00D60123020102');
    expect(readBinary(0, 256).toHex()).toBe('00B0000000');
    expect(() => readBinary(0x8000, 1)).toThrow(RangeError);
    expect(writeKey(1, Buffer.from([0xaa])).toHex()).toBe('80D4010101AA');
  });

  it('encodes and decodes key records', () => {
    const r = { type: 0x39, useAc: 0xf0, changeAc: 0xf0, version: 1, algorithmId: 0, maxTries: 5, value: Buffer.alloc(16, 7) };
    const enc = encodeKeyRecord(r);
    expect(enc.toString('hex').toUpperCase().slice(0, 12)).toBe('39F0F0010005');
    expect(decodeKeyRecord(enc)).toEqual(r);
    expect(() => encodeKeyRecord({ ...r, value: Buffer.alloc(8) })).toThrow(CryptoInputError);
    expect(() => encodeKeyRecord({ ...r, maxTries: 0 })).toThrow(CryptoInputError);
    expect(() => decodeKeyRecord(enc.subarray(1))).toThrow(CryptoInputError);
  });
});
