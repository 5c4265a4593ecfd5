import { Buffer } from 'node:buffer';
import { CommandApdu } from '../apdu/command-apdu';
import { u16 } from '../bytes';
import { AC_FREE, FILE_TYPE } from './profile';

/** Plain (unprotected) FMCOS / ISO 7816-4 command builders used by the personalisation profile. */

export const INS = {
  SELECT: 0xa4,
  GET_CHALLENGE: 0x84,
  EXTERNAL_AUTHENTICATE: 0x82,
  CREATE_FILE: 0xe0,
  WRITE_KEY: 0xd4,
  UPDATE_BINARY: 0xd6,
  READ_BINARY: 0xb0,
  ERASE_DF: 0x0e,
} as const;

/** CLA bit that marks a MAC'd (secure messaging) command: 00→04, 80→84. */
export const CLA_SM_BIT = 0x04;

export function selectByFid(fid: number): CommandApdu {
  return new CommandApdu({ cla: 0x00, ins: INS.SELECT, p1: 0x00, p2: 0x00, data: u16(fid) });
}

export function selectByAid(aid: Uint8Array): CommandApdu {
  return new CommandApdu({ cla: 0x00, ins: INS.SELECT, p1: 0x04, p2: 0x00, data: aid, le: 256 });
}

export function getChallenge(length: number): CommandApdu {
  return new CommandApdu({ cla: 0x00, ins: INS.GET_CHALLENGE, p1: 0x00, p2: 0x00, le: length });
}

export function externalAuthenticate(keyId: number, cryptogram: Uint8Array): CommandApdu {
  return new CommandApdu({ cla: 0x00, ins: INS.EXTERNAL_AUTHENTICATE, p1: 0x00, p2: keyId, data: cryptogram });
}

function createFile(fid: number, body: Buffer): CommandApdu {
  return new CommandApdu({ cla: 0x80, ins: INS.CREATE_FILE, p1: fid >> 8, p2: fid & 0xff, data: body });
}

/** DF: 38 | size | create AC | erase AC | 95 | FF FF | DF name (AID). */
export function createDf(fid: number, size: number, aid: Uint8Array): CommandApdu {
  return createFile(fid, Buffer.concat([Buffer.from([FILE_TYPE.DF]), u16(size), Buffer.from([AC_FREE, AC_FREE, 0x95, 0xff, 0xff]), Buffer.from(aid)]));
}

/** Key file: 3F | size | DF SFI | add-key AC | FF FF (FID 0000). */
export function createKeyFile(size: number): CommandApdu {
  return createFile(0x0000, Buffer.concat([Buffer.from([FILE_TYPE.KEY_FILE]), u16(size), Buffer.from([0x01, AC_FREE, 0xff, 0xff])]));
}

/**
 * FMCOS ERASE DF: erases every file under the current DF (its key file included), leaving the
 * DF itself, its FID and name, in place. Sent as FMCOS scripts send it, `80 0E 00 00 00`
 * (a T=0 header whose P3 is 00).
 */
export function eraseDf(): CommandApdu {
  return new CommandApdu({ cla: 0x80, ins: INS.ERASE_DF, p1: 0x00, p2: 0x00, le: 256 });
}

/** Transparent EF: 28 (or A8 = writes need a MAC) | size | read AC | write AC | FF FF. */
export function createBinaryEf(fid: number, size: number, macOnWrite: boolean): CommandApdu {
  const type = macOnWrite ? FILE_TYPE.BINARY_WITH_MAC : FILE_TYPE.BINARY;
  return createFile(fid, Buffer.concat([Buffer.from([type]), u16(size), Buffer.from([AC_FREE, AC_FREE, 0xff, 0xff])]));
}

function offsetP1P2(offset: number): { p1: number; p2: number } {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0x7fff) throw new RangeError(`EF offset out of range: ${offset}`);
  return { p1: offset >> 8, p2: offset & 0xff };
}

/** UPDATE BINARY on the current EF at a 15-bit offset. */
export function updateBinary(offset: number, data: Uint8Array): CommandApdu {
  return new CommandApdu({ cla: 0x00, ins: INS.UPDATE_BINARY, ...offsetP1P2(offset), data });
}

/** READ BINARY on the current EF; length 256 is sent as Le=00. */
export function readBinary(offset: number, length: number): CommandApdu {
  return new CommandApdu({ cla: 0x00, ins: INS.READ_BINARY, ...offsetP1P2(offset), le: length });
}

/** WRITE KEY body before secure messaging; P1=01 installs a key. */
export function writeKey(keyId: number, data: Uint8Array): CommandApdu {
  return new CommandApdu({ cla: 0x80, ins: INS.WRITE_KEY, p1: 0x01, p2: keyId, data });
}
