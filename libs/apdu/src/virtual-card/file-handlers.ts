import { Buffer } from 'node:buffer';
import { SW } from '../apdu/status-words';
import { FILE_TYPE, KEY_FILE_FID, KEY_TYPE, MF_FID } from '../card/profile';
import { verifyMac } from '../card/secure-messaging';
import { CLA_SM_BIT } from '../card/commands';
import { encodeTlv } from '../tlv/ber-tlv';
import { allDfs, BinaryEf, CardState, consumeChallenge, findKeyOfType, Handler, newDf, sw } from './card-state';

/** SELECT by FID (P1=00: MF, child DF or EF of the current DF) or by DF name (P1=04). */
export const select: Handler = (state, cmd) => {
  if (cmd.p1 === 0x04) {
    const df = allDfs(state).find((d) => d.aid?.equals(cmd.data));
    if (!df || !df.aid) return sw(SW.FILE_NOT_FOUND);
    state.currentDf = df;
    state.currentEf = null;
    return sw(SW.SUCCESS, encodeTlv({ tag: 0x6f, children: [{ tag: 0x84, value: df.aid }] }));
  }
  if (cmd.p1 !== 0x00 || cmd.p2 !== 0x00) return sw(SW.INCORRECT_P1P2);
  if (cmd.data.length !== 2) return sw(SW.WRONG_LENGTH);
  const fid = cmd.data.readUInt16BE(0);
  if (fid === MF_FID) {
    // Leaving for the MF ends the issuer session, as a DF change resets security state on FMCOS.
    state.currentDf = state.mf;
    state.currentEf = null;
    state.authenticated.clear();
    return sw(SW.SUCCESS);
  }
  const child = state.currentDf.children.find((d) => d.fid === fid);
  if (child) {
    state.currentDf = child;
    state.currentEf = null;
    return sw(SW.SUCCESS);
  }
  const ef = state.currentDf.efs.get(fid);
  if (!ef) return sw(SW.FILE_NOT_FOUND);
  state.currentEf = ef;
  return sw(SW.SUCCESS);
};

/** CREATE FILE: only after EXTERNAL AUTHENTICATE with the MF master key; key file before EFs. */
export const createFile: Handler = (state, cmd) => {
  if (!state.authenticated.has(state.mf)) return sw(SW.CONDITIONS_NOT_SATISFIED);
  const fid = (cmd.p1 << 8) | cmd.p2;
  const body = cmd.data;
  if (body.length === 0) return sw(SW.WRONG_LENGTH);
  const df = state.currentDf;
  switch (body[0]) {
    case FILE_TYPE.DF: {
      if (body.length < 8 + 5 || body.length > 8 + 16) return sw(SW.WRONG_LENGTH);
      if (df !== state.mf) return sw(SW.CONDITIONS_NOT_SATISFIED);
      const aid = Buffer.from(body.subarray(8));
      if (fid === MF_FID || fid === KEY_FILE_FID || df.children.some((c) => c.fid === fid) || df.efs.has(fid)) return sw(SW.FILE_ALREADY_EXISTS);
      if (allDfs(state).some((d) => d.aid?.equals(aid))) return sw(SW.DF_NAME_EXISTS);
      const created = newDf(fid, aid);
      df.children.push(created);
      state.currentDf = created; // FMCOS enters the new DF so its key file and EFs follow
      state.currentEf = null;
      return sw(SW.SUCCESS);
    }
    case FILE_TYPE.KEY_FILE:
      if (body.length !== 7) return sw(SW.WRONG_LENGTH);
      if (fid !== KEY_FILE_FID) return sw(SW.WRONG_DATA);
      if (df.keys) return sw(SW.FILE_ALREADY_EXISTS);
      df.keys = new Map();
      return sw(SW.SUCCESS);
    case FILE_TYPE.BINARY:
    case FILE_TYPE.BINARY_WITH_MAC: {
      if (body.length !== 7) return sw(SW.WRONG_LENGTH);
      if (!df.keys) return sw(SW.CONDITIONS_NOT_SATISFIED);
      const size = body.readUInt16BE(1);
      if (size === 0 || size > 0x7fff) return sw(SW.WRONG_DATA);
      if (fid === MF_FID || fid === KEY_FILE_FID || df.efs.has(fid) || df.children.some((c) => c.fid === fid)) return sw(SW.FILE_ALREADY_EXISTS);
      df.efs.set(fid, { fid, size, macOnWrite: body[0] === FILE_TYPE.BINARY_WITH_MAC, data: Buffer.alloc(size) });
      return sw(SW.SUCCESS);
    }
    default:
      return sw(SW.WRONG_DATA);
  }
};

/**
 * ERASE DF (FMCOS): empties the current DF (key file, EFs, child DFs) and leaves the DF, its FID
 * and name, current. Like CREATE FILE it needs the issuer session (the MF master key proven since
 * the MF was last selected): whoever may create an application may wipe it. The MF is refused:
 * its key file holds the factory-loaded card master key, which nothing in the field can reload.
 */
export const eraseDf: Handler = (state, cmd) => {
  if (cmd.p1 !== 0x00 || cmd.p2 !== 0x00) return sw(SW.INCORRECT_P1P2);
  if (cmd.data.length !== 0) return sw(SW.WRONG_LENGTH);
  const df = state.currentDf;
  if (df === state.mf) return sw(SW.CONDITIONS_NOT_SATISFIED);
  if (!state.authenticated.has(state.mf)) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
  df.keys = null;
  df.efs.clear();
  df.children = [];
  // Whatever was proven with the erased keys went with them.
  state.authenticated.delete(df);
  state.currentEf = null;
  return sw(SW.SUCCESS);
};

/** Verifies an SM command with the DF maintenance key; returns the data or a status to send back. */
function unwrapWithMaintenanceKey(state: CardState, cmd: Parameters<Handler>[1]): Buffer | number {
  const key = findKeyOfType(state.currentDf, KEY_TYPE.MAINTENANCE);
  if (!key) return SW.REFERENCED_DATA_NOT_FOUND;
  const challenge = consumeChallenge(state);
  // No challenge (never fetched, or already used) means no MAC can be right.
  if (!challenge) return SW.SM_DATA_OBJECTS_INCORRECT;
  return verifyMac(cmd, state.algorithm, key.value, challenge, state.sm4MacFold) ?? SW.SM_DATA_OBJECTS_INCORRECT;
}

function offsetOf(p1: number, p2: number): number | null {
  return p1 & 0x80 ? null : (p1 << 8) | p2; // SFI addressing is not supported by this profile
}

export const updateBinary: Handler = (state, cmd) => {
  const ef: BinaryEf | null = state.currentEf;
  if (!ef) return sw(SW.COMMAND_NOT_ALLOWED);
  const offset = offsetOf(cmd.p1, cmd.p2);
  if (offset === null) return sw(SW.INCORRECT_P1P2);
  let data = cmd.data;
  if (cmd.cla & CLA_SM_BIT) {
    const unwrapped = unwrapWithMaintenanceKey(state, cmd);
    if (typeof unwrapped === 'number') return sw(unwrapped);
    data = unwrapped;
  } else if (ef.macOnWrite) {
    return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
  }
  if (data.length === 0) return sw(SW.WRONG_LENGTH);
  if (offset >= ef.size) return sw(SW.WRONG_P1P2);
  if (offset + data.length > ef.size) return sw(SW.NOT_ENOUGH_MEMORY);
  data.copy(ef.data, offset);
  return sw(SW.SUCCESS);
};

export const readBinary: Handler = (state, cmd) => {
  const ef = state.currentEf;
  if (!ef) return sw(SW.COMMAND_NOT_ALLOWED);
  const offset = offsetOf(cmd.p1, cmd.p2);
  if (offset === null) return sw(SW.INCORRECT_P1P2);
  if (cmd.le === undefined) return sw(SW.WRONG_LENGTH);
  if (cmd.cla & CLA_SM_BIT) {
    const unwrapped = unwrapWithMaintenanceKey(state, cmd);
    if (typeof unwrapped === 'number') return sw(unwrapped);
    if (unwrapped.length !== 0) return sw(SW.WRONG_LENGTH);
  } else if (cmd.data.length !== 0) {
    return sw(SW.WRONG_LENGTH);
  }
  if (offset >= ef.size) return sw(SW.WRONG_P1P2);
  const available = ef.size - offset;
  // Le=00 (256) means "as much as there is"; an explicit longer Le gets the rest plus 6282.
  const n = Math.min(cmd.le, available);
  const status = cmd.le > available && cmd.le !== 256 ? 0x6282 : SW.SUCCESS;
  return sw(status, ef.data.subarray(offset, offset + n));
};
