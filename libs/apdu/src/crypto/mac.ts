import { Buffer } from 'node:buffer';
import { xorBytes } from '../bytes';
import { CryptoInputError } from '../errors';
import { BlockCipherName, blockDecrypt, blockEncrypt, blockSize } from './block-cipher';
import { padIso9797Method2 } from './padding';

export type MacPadding = 'method2' | 'none';

function prepare(data: Uint8Array, bs: number, padding: MacPadding): Buffer {
  if (padding === 'method2') return padIso9797Method2(data, bs);
  if (data.length === 0 || data.length % bs !== 0) {
    throw new CryptoInputError(`unpadded MAC input must be a non-empty multiple of ${bs} bytes, got ${data.length}`);
  }
  return Buffer.from(data);
}

/**
 * ISO/IEC 9797-1 MAC algorithm 1 (plain CBC-MAC, = ANSI X9.9 with DES): the last
 * CBC block. `data` must already be block-aligned; pad it first if needed.
 */
export function cbcMac(cipher: BlockCipherName, key: Uint8Array, data: Uint8Array, iv?: Uint8Array): Buffer {
  const bs = blockSize(cipher);
  const ct = blockEncrypt(cipher, key, prepare(data, bs, 'none'), 'CBC', iv ?? Buffer.alloc(bs));
  return ct.subarray(ct.length - bs);
}

export interface RetailMacOptions {
  /** Initial chaining value (PBOC uses the card challenge padded with zeros). Default zeros. */
  iv?: Uint8Array;
  /** Default 'method2' (80 00..); 'none' requires aligned input. */
  padding?: MacPadding;
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC", ANSI X9.19), the PBOC / FMCOS
 * secure-messaging MAC for 16-byte keys: single-DES CBC with K1 over all blocks,
 * then the last block is decrypted with K2 and encrypted again with K1.
 * A 24-byte key uses K3 for that final encryption (BouncyCastle's convention).
 */
export function retailMac(key: Uint8Array, data: Uint8Array, options: RetailMacOptions = {}): Buffer {
  if (key.length !== 16 && key.length !== 24) throw new CryptoInputError(`retail MAC key must be 16 or 24 bytes, got ${key.length}`);
  const k1 = key.subarray(0, 8);
  const k2 = key.subarray(8, 16);
  const kFinal = key.length === 24 ? key.subarray(16, 24) : k1;
  const input = prepare(data, 8, options.padding ?? 'method2');
  const h = cbcMac('DES', k1, input, options.iv);
  return blockEncrypt('DES', kFinal, blockDecrypt('DES', k2, h));
}

/**
 * How the 16-byte SM4 CBC-MAC block becomes the MAC whose leading bytes a command carries. Which
 * one a card's COS uses is not settled by any spec text we have (see the README), so it is a
 * deployment setting rather than a constant.
 */
export const SM4_MAC_FOLDS = ['xor-halves', 'none'] as const;
export type Sm4MacFold = (typeof SM4_MAC_FOLDS)[number];

export interface Sm4MacOptions {
  /** 16-byte initial value; PBOC puts the card challenge here, right-padded with zeros. Default zeros. */
  iv?: Uint8Array;
  /** Default 'method2' (80 00.. to a 16-byte multiple). */
  padding?: MacPadding;
  /**
   * 'xor-halves' (default): the 16-byte CBC result is folded to 8 bytes as
   * left 8 XOR right 8, the form used by PBOC 3.0 SM4 secure messaging and the
   * MOHURD (住建部) transport-card profile; take the leading 4 bytes as the MAC.
   * 'none': the raw 16-byte CBC-MAC block (its leading 4 bytes are the MAC of cards that do not fold).
   */
  fold?: Sm4MacFold;
}

/**
 * SM4 MAC for PBOC / 住建部 CPU cards: pad (80 00..) to 16 bytes, SM4-CBC with the
 * given IV, keep the last block, fold it to 8 bytes (left half XOR right half).
 */
export function pbocSm4Mac(key: Uint8Array, data: Uint8Array, options: Sm4MacOptions = {}): Buffer {
  const input = prepare(data, 16, options.padding ?? 'method2');
  const block = cbcMac('SM4', key, input, options.iv);
  if ((options.fold ?? 'xor-halves') === 'none') return block;
  return xorBytes(block.subarray(0, 8), block.subarray(8, 16));
}

/** PBOC commands carry the leading 4 bytes of the MAC. */
export function truncateMac(mac: Uint8Array, length = 4): Buffer {
  if (!Number.isInteger(length) || length < 1 || length > mac.length) {
    throw new CryptoInputError(`cannot truncate a ${mac.length}-byte MAC to ${length} bytes`);
  }
  return Buffer.from(mac.subarray(0, length));
}
