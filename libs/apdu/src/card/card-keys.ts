import { Buffer } from 'node:buffer';
import { blockEncrypt } from '../crypto/block-cipher';
import { CardAlgorithm, diversificationData, pbocDiversify } from '../crypto/diversification';
import { toHex } from '../bytes';
import { PersonalisationInputError } from '../errors';

export interface CardKeys {
  /** MF master key: EXTERNAL AUTHENTICATE before creating the application; protects the first app key. */
  cardMasterKey: Buffer;
  /** Application (DF) master key: protects writing the other application keys. */
  appMasterKey: Buffer;
  /** Line-protection key for writes to the cardholder EF. */
  appMaintenanceKey: Buffer;
  /** PBOC DPK (purchase). */
  appPurchaseKey: Buffer;
  /** PBOC DLK (load / 圈存). */
  appLoadKey: Buffer;
}

export type CardKeyName = keyof CardKeys;

/**
 * Per-key constants ("OC-" + role + version). A project keeps one master key; each
 * role gets its own second-level master so that leaking one card's purchase key
 * says nothing about its maintenance key.
 */
export const CARD_KEY_CONSTANTS: Readonly<Record<CardKeyName, Buffer>> = {
  cardMasterKey: Buffer.from('OC-CMK01', 'ascii'),
  appMasterKey: Buffer.from('OC-AMK01', 'ascii'),
  appMaintenanceKey: Buffer.from('OC-MTK01', 'ascii'),
  appPurchaseKey: Buffer.from('OC-DPK01', 'ascii'),
  appLoadKey: Buffer.from('OC-DLK01', 'ascii'),
};

export const MIN_UID_BYTES = 4;
export const MAX_UID_BYTES = 10;

/** Card inner code / UID as hex, 4 to 10 bytes. */
export function parseUid(uid: string): Buffer {
  if (typeof uid !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(uid)) {
    throw new PersonalisationInputError(`uid must be an even-length hex string, got "${uid}"`);
  }
  return checkUid(Buffer.from(uid, 'hex'));
}

function checkUid(uid: Buffer): Buffer {
  if (uid.length < MIN_UID_BYTES || uid.length > MAX_UID_BYTES) {
    throw new PersonalisationInputError(`uid must be ${MIN_UID_BYTES}-${MAX_UID_BYTES} bytes, got ${uid.length}`);
  }
  return uid;
}

/**
 * Two-level PBOC diversification from the single project master key:
 *   roleMaster = diversify(projectMasterKey, CARD_KEY_CONSTANTS[role])
 *   cardKey    = diversify(roleMaster, uid right-aligned in 8 bytes)
 * with diversify = left E(K, D) / right E(K, ~D) for 3DES, E(K, D || ~D) for SM4.
 */
export function deriveCardKeys(projectMasterKey: Buffer, uid: Buffer, algorithm: CardAlgorithm): CardKeys {
  const d = diversificationData(checkUid(Buffer.from(uid)));
  const derive = (name: CardKeyName) => pbocDiversify(pbocDiversify(projectMasterKey, CARD_KEY_CONSTANTS[name], algorithm), d, algorithm);
  return {
    cardMasterKey: derive('cardMasterKey'),
    appMasterKey: derive('appMasterKey'),
    appMaintenanceKey: derive('appMaintenanceKey'),
    appPurchaseKey: derive('appPurchaseKey'),
    appLoadKey: derive('appLoadKey'),
  };
}

/** Key check value (first 3 bytes of E(K, 0..0)): identifies a key in logs without revealing it. */
export function keyCheckValue(key: Buffer, algorithm: CardAlgorithm): string {
  const zero = Buffer.alloc(algorithm === 'SM4' ? 16 : 8);
  return toHex(blockEncrypt(algorithm === 'SM4' ? 'SM4' : '3DES', key, zero).subarray(0, 3));
}
