import { Buffer } from 'node:buffer';
import { hexToBytes, toHex } from '../bytes';
import { ApduFormatError } from '../errors';

export interface CommandApduFields {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (Nc bytes); empty or absent means no Lc field. */
  data?: Uint8Array;
  /** Ne, the maximum number of response bytes expected (1..65536); absent means no Le field. */
  le?: number;
  /** Force extended length fields even when short ones would do. */
  extended?: boolean;
}

export type ApduCase = 1 | 2 | 3 | 4;

const MAX_SHORT_NC = 255;
const MAX_SHORT_NE = 256;
const MAX_EXT_NC = 65535;
const MAX_EXT_NE = 65536;

function checkByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new ApduFormatError(`${name} must be a byte, got ${v}`);
}

/** An ISO/IEC 7816-4 command APDU (cases 1-4, short and extended length). */
export class CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Buffer;
  readonly le: number | undefined;
  readonly extended: boolean;

  constructor(fields: CommandApduFields) {
    checkByte('CLA', fields.cla);
    checkByte('INS', fields.ins);
    checkByte('P1', fields.p1);
    checkByte('P2', fields.p2);
    const data = Buffer.from(fields.data ?? []);
    if (data.length > MAX_EXT_NC) throw new ApduFormatError(`command data too long (${data.length} > ${MAX_EXT_NC})`);
    const le = fields.le;
    if (le !== undefined && (!Number.isInteger(le) || le < 1 || le > MAX_EXT_NE)) {
      throw new ApduFormatError(`Le (Ne) must be 1..${MAX_EXT_NE}, got ${le}`);
    }
    this.cla = fields.cla;
    this.ins = fields.ins;
    this.p1 = fields.p1;
    this.p2 = fields.p2;
    this.data = data;
    this.le = le;
    // Extended only when needed (or asked): many cards, FMCOS included, reject extended APDUs.
    this.extended = fields.extended === true || data.length > MAX_SHORT_NC || (le ?? 0) > MAX_SHORT_NE;
  }

  get case(): ApduCase {
    if (this.data.length === 0) return this.le === undefined ? 1 : 2;
    return this.le === undefined ? 3 : 4;
  }

  toBuffer(): Buffer {
    const header = Buffer.from([this.cla, this.ins, this.p1, this.p2]);
    const parts: Buffer[] = [header];
    const nc = this.data.length;
    if (!this.extended) {
      if (nc > 0) parts.push(Buffer.from([nc]), this.data);
      if (this.le !== undefined) parts.push(Buffer.from([this.le === MAX_SHORT_NE ? 0 : this.le]));
      return Buffer.concat(parts);
    }
    // Extended: a single 00 marker byte precedes the first length field only.
    parts.push(Buffer.from([0]));
    if (nc > 0) parts.push(Buffer.from([nc >> 8, nc & 0xff]), this.data);
    if (this.le !== undefined) {
      const le = this.le === MAX_EXT_NE ? 0 : this.le;
      parts.push(Buffer.from([le >> 8, le & 0xff]));
    }
    return Buffer.concat(parts);
  }

  toHex(): string {
    return toHex(this.toBuffer());
  }

  toString(): string {
    return this.toHex();
  }

  /** Same command with other fields replaced (e.g. to add secure-messaging CLA bits). */
  with(changes: Partial<CommandApduFields>): CommandApdu {
    return new CommandApdu({
      cla: this.cla, ins: this.ins, p1: this.p1, p2: this.p2, data: this.data, le: this.le, extended: this.extended,
      ...changes,
    });
  }

  static parse(input: string | Uint8Array): CommandApdu {
    const b = typeof input === 'string' ? hexToBytes(input, 'C-APDU') : Buffer.from(input);
    if (b.length < 4) throw new ApduFormatError(`C-APDU shorter than the 4-byte header (${b.length} bytes)`);
    const [cla, ins, p1, p2] = b;
    const header = { cla, ins, p1, p2 };
    const body = b.subarray(4);
    if (body.length === 0) return new CommandApdu(header);
    if (body.length === 1) return new CommandApdu({ ...header, le: body[0] === 0 ? MAX_SHORT_NE : body[0] });
    if (body[0] !== 0) return parseShortBody(header, body);
    return parseExtendedBody(header, body);
  }
}

type Header = Pick<CommandApduFields, 'cla' | 'ins' | 'p1' | 'p2'>;

function parseShortBody(header: Header, body: Buffer): CommandApdu {
  const lc = body[0];
  if (body.length === 1 + lc) return new CommandApdu({ ...header, data: body.subarray(1) });
  if (body.length === 2 + lc) {
    const le = body[1 + lc];
    return new CommandApdu({ ...header, data: body.subarray(1, 1 + lc), le: le === 0 ? MAX_SHORT_NE : le });
  }
  throw new ApduFormatError(`C-APDU body length ${body.length} does not match Lc=${lc}`);
}

function parseExtendedBody(header: Header, body: Buffer): CommandApdu {
  if (body.length === 3) {
    const le = (body[1] << 8) | body[2];
    return new CommandApdu({ ...header, le: le === 0 ? MAX_EXT_NE : le, extended: true });
  }
  if (body.length < 3) throw new ApduFormatError('C-APDU body starts with 00 but is too short for extended lengths');
  const lc = (body[1] << 8) | body[2];
  if (lc === 0) throw new ApduFormatError('extended C-APDU with Lc=0');
  if (body.length === 3 + lc) return new CommandApdu({ ...header, data: body.subarray(3), extended: true });
  if (body.length === 5 + lc) {
    const le = (body[3 + lc] << 8) | body[4 + lc];
    return new CommandApdu({ ...header, data: body.subarray(3, 3 + lc), le: le === 0 ? MAX_EXT_NE : le, extended: true });
  }
  throw new ApduFormatError(`extended C-APDU body length ${body.length} does not match Lc=${lc}`);
}
