import { Buffer } from 'node:buffer';
import { ApduFormatError } from './errors';

const HEX_RE = /^[0-9a-fA-F]*$/;

/**
 * Strict hex decoding: Buffer.from(s, 'hex') silently stops at the first bad
 * character, which would turn a corrupted kiosk report into a shorter, valid-looking one.
 * Whitespace is tolerated because APDU traces are usually written with spaces.
 */
export function hexToBytes(hex: string, what = 'hex string'): Buffer {
  if (typeof hex !== 'string') throw new ApduFormatError(`${what} must be a string`);
  const compact = hex.replace(/\s+/g, '');
  if (!HEX_RE.test(compact)) throw new ApduFormatError(`${what} contains non-hex characters`);
  if (compact.length % 2 !== 0) throw new ApduFormatError(`${what} has an odd number of hex digits (${compact.length})`);
  return Buffer.from(compact, 'hex');
}

/** Uppercase hex, the form card people read and the kiosk protocol uses. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Buffer {
  if (a.length !== b.length) throw new RangeError(`xor of unequal lengths ${a.length} and ${b.length}`);
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

export function invertBytes(a: Uint8Array): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = ~a[i] & 0xff;
  return out;
}

/** Right-pads with zero bytes; used for challenge-to-IV expansion. */
export function rightPadZeros(a: Uint8Array, length: number): Buffer {
  if (a.length > length) throw new RangeError(`cannot pad ${a.length} bytes to ${length}`);
  return Buffer.concat([Buffer.from(a), Buffer.alloc(length - a.length)]);
}

export function u16(value: number): Buffer {
  return Buffer.from([(value >> 8) & 0xff, value & 0xff]);
}

/** Constant-time comparison so MAC checks do not leak how many bytes matched. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
