import { Buffer } from 'node:buffer';
import { CommandApdu } from '../apdu/command-apdu';
import { CardKeys } from '../card/card-keys';
import {
  createBinaryEf, createDf, createKeyFile, eraseDf, externalAuthenticate, getChallenge, selectByAid, selectByFid, updateBinary, writeKey,
} from '../card/commands';
import { encodeKeyRecord } from '../card/key-record';
import {
  AC_FREE, APP_AID, APP_DF_FID, APP_DF_SIZE, APP_KEY_SLOTS, AUTH_CHALLENGE_LENGTH, CARDHOLDER_EF_FID, CARDHOLDER_EF_SIZE,
  KEY_ALGORITHM_ID, KEY_FILE_SIZE, KEY_MAX_TRIES, MAC_CHALLENGE_LENGTH, MF_FID, MF_MASTER_KEY_ID, UPDATE_CHUNK_SIZE,
} from '../card/profile';
import { authCryptogram, encryptSmData, withMac } from '../card/secure-messaging';
import { CardAlgorithm } from '../crypto/diversification';
import { Sm4MacFold } from '../crypto/mac';

/**
 * Batch builders. Every batch whose successor needs card data ends with the
 * command producing it (GET CHALLENGE), because the kiosk reports only the last R-APDU.
 */

export interface PlannedCommand {
  apdu: CommandApdu;
  sws: string;
  label: string;
  /** A status word that ends the batch as an answer to branch on, not as a failure. */
  branchSw?: string;
}

const OK = '9000';
const NOT_FOUND = '6A82';

function plan(apdu: CommandApdu, label: string): PlannedCommand {
  return { apdu, sws: OK, label };
}

/** Batch 1: SELECT MF, GET CHALLENGE (8) for EXTERNAL AUTHENTICATE. */
export function openSessionBatch(): PlannedCommand[] {
  return [plan(selectByFid(MF_FID), 'SELECT MF'), plan(getChallenge(AUTH_CHALLENGE_LENGTH), 'GET CHALLENGE (auth)')];
}

/** Inside the application DF: key file, cardholder EF, SELECT the application, GET CHALLENGE (4) for the first MAC. */
function applicationFiles(): PlannedCommand[] {
  return [
    plan(createKeyFile(KEY_FILE_SIZE), 'CREATE FILE (key file)'),
    plan(createBinaryEf(CARDHOLDER_EF_FID, CARDHOLDER_EF_SIZE, true), 'CREATE FILE (cardholder EF)'),
    plan(selectByAid(APP_AID), 'SELECT application'),
    plan(getChallenge(MAC_CHALLENGE_LENGTH), 'GET CHALLENGE (MAC)'),
  ];
}

/**
 * Batch 2: EXTERNAL AUTHENTICATE with the card master key (opens the issuer session), SELECT the
 * application expecting 6A82, create DF + key file + cardholder EF, SELECT it, GET CHALLENGE (4).
 *
 * The SELECT is a probe: on a blank card it answers 6A82 and the batch runs on. On a card that an
 * interrupted run (the kiosk lost power, after any command) already gave the application, it
 * answers 9000; the kiosk stops there as at any unexpected status word, and the script carries on
 * with `recreateApplicationBatch`. A blank card costs one command more, a used one a round trip.
 */
export function createApplicationBatch(keys: CardKeys, algorithm: CardAlgorithm, challenge: Buffer): PlannedCommand[] {
  return [
    plan(externalAuthenticate(MF_MASTER_KEY_ID, authCryptogram(algorithm, keys.cardMasterKey, challenge)), 'EXTERNAL AUTHENTICATE (card master key)'),
    { apdu: selectByAid(APP_AID), sws: NOT_FOUND, branchSw: OK, label: 'SELECT application (absent on a blank card)' },
    plan(createDf(APP_DF_FID, APP_DF_SIZE, APP_AID), 'CREATE FILE (application DF)'),
    ...applicationFiles(),
  ];
}

/**
 * After the probe found the application: it is selected and the issuer session still open, so
 * ERASE DF empties it (keys, cardholder EF, whatever the earlier run got to) and its files are
 * created again exactly as on a blank card. The DF itself stays as the earlier run created it,
 * which is as this script creates it.
 */
export function recreateApplicationBatch(): PlannedCommand[] {
  return [plan(eraseDf(), 'ERASE DF (application, left by an interrupted run)'), ...applicationFiles()];
}

/**
 * WRITE KEY for application key slot `keyIndex` (encrypted + MAC'd with the card
 * master key for the app master key, with the app master key for the others),
 * then GET CHALLENGE; the last key batch also selects the cardholder EF.
 */
export function writeKeyBatch(keys: CardKeys, algorithm: CardAlgorithm, challenge: Buffer, keyIndex: number, sm4MacFold: Sm4MacFold): PlannedCommand[] {
  const slot = APP_KEY_SLOTS[keyIndex];
  const protect = keyIndex === 0 ? keys.cardMasterKey : keys.appMasterKey;
  const record = encodeKeyRecord({
    type: slot.type,
    useAc: AC_FREE,
    changeAc: AC_FREE,
    version: 0x01,
    algorithmId: KEY_ALGORITHM_ID[algorithm],
    maxTries: KEY_MAX_TRIES,
    value: keys[slot.name],
  });
  const command = withMac(writeKey(slot.id, encryptSmData(algorithm, protect, record)), algorithm, protect, challenge, sm4MacFold);
  const batch = [plan(command, `WRITE KEY ${slot.id.toString(16).padStart(2, '0')} (${slot.name})`)];
  if (keyIndex === APP_KEY_SLOTS.length - 1) batch.push(plan(selectByFid(CARDHOLDER_EF_FID), 'SELECT cardholder EF'));
  batch.push(plan(getChallenge(MAC_CHALLENGE_LENGTH), 'GET CHALLENGE (MAC)'));
  return batch;
}

export function cardholderChunkCount(image: Buffer): number {
  return Math.ceil(image.length / UPDATE_CHUNK_SIZE);
}

/** UPDATE BINARY of one cardholder chunk MAC'd with the maintenance key; GET CHALLENGE unless it is the last. */
export function writeCardholderBatch(
  keys: CardKeys, algorithm: CardAlgorithm, challenge: Buffer, chunkIndex: number, image: Buffer, sm4MacFold: Sm4MacFold,
): PlannedCommand[] {
  const offset = chunkIndex * UPDATE_CHUNK_SIZE;
  const chunk = image.subarray(offset, offset + UPDATE_CHUNK_SIZE);
  const command = withMac(updateBinary(offset, chunk), algorithm, keys.appMaintenanceKey, challenge, sm4MacFold);
  const batch = [plan(command, `UPDATE BINARY cardholder @${offset}`)];
  if (chunkIndex < cardholderChunkCount(image) - 1) batch.push(plan(getChallenge(MAC_CHALLENGE_LENGTH), 'GET CHALLENGE (MAC)'));
  return batch;
}
