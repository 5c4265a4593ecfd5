import { Buffer } from 'node:buffer';
import { CryptoInputError } from '../errors';

/**
 * Key record carried (encrypted) in WRITE KEY:
 * type | use AC | change AC | version | algorithm id | max tries | 16-byte key.
 */
export interface KeyRecord {
  type: number;
  useAc: number;
  changeAc: number;
  version: number;
  algorithmId: number;
  maxTries: number;
  value: Buffer;
}

export const KEY_RECORD_LENGTH = 22;

export function encodeKeyRecord(r: KeyRecord): Buffer {
  if (r.value.length !== 16) throw new CryptoInputError(`key value must be 16 bytes, got ${r.value.length}`);
  if (r.maxTries < 1 || r.maxTries > 15) throw new CryptoInputError(`maxTries must be 1..15, got ${r.maxTries}`);
  return Buffer.concat([Buffer.from([r.type, r.useAc, r.changeAc, r.version, r.algorithmId, r.maxTries]), r.value]);
}

export function decodeKeyRecord(b: Buffer): KeyRecord {
  if (b.length !== KEY_RECORD_LENGTH) throw new CryptoInputError(`key record must be ${KEY_RECORD_LENGTH} bytes, got ${b.length}`);
  const maxTries = b[5];
  if (maxTries < 1 || maxTries > 15) throw new CryptoInputError(`key record has invalid max tries ${maxTries}`);
  return { type: b[0], useAc: b[1], changeAc: b[2], version: b[3], algorithmId: b[4], maxTries, value: Buffer.from(b.subarray(6)) };
}
