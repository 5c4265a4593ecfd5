import { Buffer } from 'node:buffer';
import { hexToBytes, toHex } from '../bytes';
import { ApduFormatError } from '../errors';
import { describeStatusWord } from './status-words';

/** An ISO/IEC 7816-4 response APDU: optional data followed by SW1 SW2. */
export class ResponseApdu {
  readonly data: Buffer;
  readonly sw1: number;
  readonly sw2: number;

  constructor(data: Uint8Array, sw: number) {
    if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff) throw new ApduFormatError(`status word out of range: ${sw}`);
    this.data = Buffer.from(data);
    this.sw1 = sw >> 8;
    this.sw2 = sw & 0xff;
  }

  /** SW1SW2 as a number, e.g. 0x9000. */
  get sw(): number {
    return (this.sw1 << 8) | this.sw2;
  }

  /** SW1SW2 as four uppercase hex digits, the form used in scripts ("9000"). */
  get swHex(): string {
    return toHex(Buffer.from([this.sw1, this.sw2]));
  }

  get isSuccess(): boolean {
    return this.sw === 0x9000;
  }

  get meaning(): string {
    return describeStatusWord(this.sw);
  }

  toBuffer(): Buffer {
    return Buffer.concat([this.data, Buffer.from([this.sw1, this.sw2])]);
  }

  toHex(): string {
    return toHex(this.toBuffer());
  }

  static parse(input: string | Uint8Array): ResponseApdu {
    const b = typeof input === 'string' ? hexToBytes(input, 'R-APDU') : Buffer.from(input);
    if (b.length < 2) throw new ApduFormatError(`R-APDU shorter than the 2-byte status word (${b.length} bytes)`);
    return new ResponseApdu(b.subarray(0, b.length - 2), (b[b.length - 2] << 8) | b[b.length - 1]);
  }

  static status(sw: number, data: Uint8Array = Buffer.alloc(0)): ResponseApdu {
    return new ResponseApdu(data, sw);
  }
}
