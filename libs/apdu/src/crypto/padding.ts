import { Buffer } from 'node:buffer';
import { CryptoInputError } from '../errors';

/** ISO/IEC 9797-1 padding method 2: always append 0x80, then 0x00 up to a block multiple. */
export function padIso9797Method2(data: Uint8Array, blockSize: number): Buffer {
  const padLength = blockSize - (data.length % blockSize);
  const pad = Buffer.alloc(padLength);
  pad[0] = 0x80;
  return Buffer.concat([Buffer.from(data), pad]);
}

/** Removes method-2 padding; throws if the trailer is not 80 00..00 within the last block. */
export function unpadIso9797Method2(data: Uint8Array, blockSize: number): Buffer {
  if (data.length === 0 || data.length % blockSize !== 0) {
    throw new CryptoInputError(`padded data must be a non-empty multiple of ${blockSize} bytes`);
  }
  let i = data.length - 1;
  while (i >= 0 && data[i] === 0x00 && data.length - i <= blockSize) i--;
  if (i < 0 || data[i] !== 0x80 || data.length - i > blockSize) throw new CryptoInputError('invalid ISO 9797-1 method 2 padding');
  return Buffer.from(data.subarray(0, i));
}

/**
 * PBOC secure-messaging data: pad with 80 00.. only when the length is not already
 * a block multiple (JR/T 0025 style), unlike MAC input which is always padded.
 */
export function padIfUnaligned(data: Uint8Array, blockSize: number): Buffer {
  return data.length % blockSize === 0 ? Buffer.from(data) : padIso9797Method2(data, blockSize);
}
