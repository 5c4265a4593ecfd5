import { CardholderData } from '../card/cardholder-file';
import { Buffer } from 'node:buffer';
import { CommandApdu } from '../apdu/command-apdu';
import { ResponseApdu } from '../apdu/response-apdu';
import { CardKeys, deriveCardKeys, parseUid } from '../card/card-keys';
import {
  createBinaryEf, createDf, createKeyFile, externalAuthenticate, getChallenge, selectByAid, selectByFid, writeKey,
} from '../card/commands';
import { encodeKeyRecord } from '../card/key-record';
import {
  AC_FREE, APP_AID, APP_DF_FID, APP_DF_SIZE, APP_KEY_SLOTS, CARDHOLDER_EF_FID, CARDHOLDER_EF_SIZE, KEY_ALGORITHM_ID, KEY_FILE_SIZE, MF_FID,
} from '../card/profile';
import { authCryptogram, encryptSmData, withMac } from '../card/secure-messaging';
import { CardAlgorithm } from '../crypto/diversification';
import { VirtualCpuCard } from './virtual-cpu-card';

/** Spec helpers for driving a VirtualCpuCard by hand (not exported from the package). */

export const TEST_PMK = Buffer.from('404142434445464748494A4B4C4D4E4F', 'hex');
export const TEST_UID = '04A1B2C3D4E5F6';

/** A cardholder file's data as an order carries it (not a real person's). */
export const SAMPLE_CARDHOLDER: CardholderData = {
  cardNo: '3100012345678901',
  name: '欧阳娜娜',
  idNumber: '44030119900307002X',
  company: '深圳市公共交通集团',
  issueDate: '20250701',
  expiryDate: '20300630',
};

/** Deterministic challenges: 01.., 02.., ... */
export function counterRandom(): (n: number) => Buffer {
  let i = 0;
  return (n) => Buffer.alloc(n, ++i & 0xff);
}

export interface CardFixture {
  card: VirtualCpuCard;
  keys: CardKeys;
  algorithm: CardAlgorithm;
  tx(apdu: CommandApdu | string): ResponseApdu;
  challenge(length: number): Buffer;
}

export function blankFixture(algorithm: CardAlgorithm): CardFixture {
  const keys = deriveCardKeys(TEST_PMK, parseUid(TEST_UID), algorithm);
  const card = VirtualCpuCard.blank({ uid: TEST_UID, cardMasterKey: keys.cardMasterKey, algorithm, random: counterRandom() });
  const tx = (apdu: CommandApdu | string) => ResponseApdu.parse(card.transmit(typeof apdu === 'string' ? apdu : apdu.toHex()));
  const challenge = (length: number) => tx(getChallenge(length)).data;
  return { card, keys, algorithm, tx, challenge };
}

export function authenticateMf(f: CardFixture): ResponseApdu {
  f.tx(selectByFid(MF_FID));
  return f.tx(externalAuthenticate(0, authCryptogram(f.algorithm, f.keys.cardMasterKey, f.challenge(8))));
}

export function createApplication(f: CardFixture): void {
  for (const c of [createDf(APP_DF_FID, APP_DF_SIZE, APP_AID), createKeyFile(KEY_FILE_SIZE), createBinaryEf(CARDHOLDER_EF_FID, CARDHOLDER_EF_SIZE, true)]) {
    const r = f.tx(c);
    if (!r.isSuccess) throw new Error(`${c.toHex()} -> ${r.swHex}`);
  }
  f.tx(selectByAid(APP_AID));
}

export function keyCommand(f: CardFixture, slotIndex: number, protectKey: Buffer, challenge: Buffer, keyValue?: Buffer): CommandApdu {
  const slot = APP_KEY_SLOTS[slotIndex];
  const record = encodeKeyRecord({
    type: slot.type, useAc: AC_FREE, changeAc: AC_FREE, version: 1, algorithmId: KEY_ALGORITHM_ID[f.algorithm], maxTries: 5,
    value: keyValue ?? f.keys[slot.name],
  });
  return withMac(writeKey(slot.id, encryptSmData(f.algorithm, protectKey, record)), f.algorithm, protectKey, challenge);
}

/** Issuer session + application + all four application keys. */
export function personaliseKeys(f: CardFixture): void {
  authenticateMf(f);
  createApplication(f);
  APP_KEY_SLOTS.forEach((_slot, i) => {
    const protect = i === 0 ? f.keys.cardMasterKey : f.keys.appMasterKey;
    const r = f.tx(keyCommand(f, i, protect, f.challenge(4)));
    if (!r.isSuccess) throw new Error(`key ${i} -> ${r.swHex}`);
  });
}
