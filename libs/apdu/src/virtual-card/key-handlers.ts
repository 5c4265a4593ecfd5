import { SW } from '../apdu/status-words';
import { CLA_SM_BIT } from '../card/commands';
import { decodeKeyRecord, KeyRecord } from '../card/key-record';
import { KEY_ALGORITHM_ID, KEY_TYPE } from '../card/profile';
import { decryptSmData, verifyMac } from '../card/secure-messaging';
import { CardKey, CardState, consumeChallenge, Handler, masterKeyOf, sw } from './card-state';

/**
 * Which key protects a WRITE KEY into the current DF: its own master key once
 * installed; before that the MF master key, and only inside an issuer session.
 */
function protectingKey(state: CardState): CardKey | number {
  const df = state.currentDf;
  const own = masterKeyOf(df);
  if (own) return own;
  if (!state.authenticated.has(state.mf)) return SW.SECURITY_STATUS_NOT_SATISFIED;
  return masterKeyOf(state.mf) ?? SW.REFERENCED_DATA_NOT_FOUND;
}

function decodeRecord(state: CardState, key: CardKey, encrypted: Buffer): KeyRecord | null {
  try {
    return decodeKeyRecord(decryptSmData(state.algorithm, key.value, encrypted));
  } catch {
    return null;
  }
}

/** WRITE KEY (P1=01 install) under secure messaging: encrypted key record + MAC. */
export const writeKey: Handler = (state, cmd) => {
  if (cmd.p1 !== 0x01) return sw(SW.INCORRECT_P1P2);
  if ((cmd.cla & CLA_SM_BIT) === 0) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
  const df = state.currentDf;
  if (!df.keys) return sw(SW.CONDITIONS_NOT_SATISFIED);
  const key = protectingKey(state);
  if (typeof key === 'number') return sw(key);
  const challenge = consumeChallenge(state);
  if (!challenge) return sw(SW.SM_DATA_OBJECTS_INCORRECT);
  const encrypted = verifyMac(cmd, state.algorithm, key.value, challenge, state.sm4MacFold);
  if (!encrypted) return sw(SW.SM_DATA_OBJECTS_INCORRECT);
  const record = decodeRecord(state, key, encrypted);
  if (!record || record.algorithmId !== KEY_ALGORITHM_ID[state.algorithm]) return sw(SW.WRONG_DATA);
  // The DF master key (00, external-auth type) must come first: it protects the others.
  if (!masterKeyOf(df) && (cmd.p2 !== 0x00 || record.type !== KEY_TYPE.EXTERNAL_AUTH)) return sw(SW.CONDITIONS_NOT_SATISFIED);
  if (df.keys.has(cmd.p2)) return sw(SW.FILE_ALREADY_EXISTS);
  df.keys.set(cmd.p2, {
    id: cmd.p2,
    type: record.type,
    algorithmId: record.algorithmId,
    value: record.value,
    maxTries: record.maxTries,
    triesLeft: record.maxTries,
  });
  return sw(SW.SUCCESS);
};
