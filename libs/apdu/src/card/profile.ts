import { Buffer } from 'node:buffer';
import { CardAlgorithm } from '../crypto/diversification';

/**
 * The OneCard CPU-card layout (FMCOS / PBOC-like). Shared by the personalisation
 * script and the virtual card so both sides agree on every identifier.
 */

export const MF_FID = 0x3f00;
export const KEY_FILE_FID = 0x0000;
export const APP_DF_FID = 0x1001;
/** 'F0' marks a proprietary, unregistered RID (ISO/IEC 7816-5); the rest is "ONECARD". */
export const APP_AID = Buffer.from('F04F4E4543415244', 'hex');
export const APP_DF_SIZE = 0x0800;
export const KEY_FILE_SIZE = 0x0100;
/** 0x16 is the cardholder basic-information EF in the MOHURD transport-card layout. */
export const CARDHOLDER_EF_FID = 0x0016;
export const CARDHOLDER_EF_SIZE = 0x0200;

/** FMCOS file-type bytes in CREATE FILE; bit 8 on a binary EF means writes need a MAC (line protection). */
export const FILE_TYPE = {
  DF: 0x38,
  KEY_FILE: 0x3f,
  BINARY: 0x28,
  BINARY_WITH_MAC: 0xa8,
} as const;

/** FMCOS-style key types stored in a key record. */
export const KEY_TYPE = {
  EXTERNAL_AUTH: 0x39,
  MAINTENANCE: 0x36,
  PURCHASE: 0x3e,
  LOAD: 0x3f,
} as const;

/** Algorithm identifier byte in the key record (this profile's convention). */
export const KEY_ALGORITHM_ID: Record<CardAlgorithm, number> = { '3DES': 0x00, SM4: 0x04 };

export const MF_MASTER_KEY_ID = 0x00;
export const KEY_MAX_TRIES = 5;

/** FMCOS access-condition byte meaning "always"; the virtual card applies fixed rules instead. */
export const AC_FREE = 0xf0;

export type AppKeyName = 'appMasterKey' | 'appMaintenanceKey' | 'appPurchaseKey' | 'appLoadKey';

export interface AppKeySlot {
  name: AppKeyName;
  id: number;
  type: number;
}

/**
 * Written in this order: the application master key first (protected by the card
 * master key, since the DF has no key yet), then the rest under the app master key.
 */
export const APP_KEY_SLOTS: readonly AppKeySlot[] = [
  { name: 'appMasterKey', id: 0x00, type: KEY_TYPE.EXTERNAL_AUTH },
  { name: 'appMaintenanceKey', id: 0x01, type: KEY_TYPE.MAINTENANCE },
  { name: 'appPurchaseKey', id: 0x02, type: KEY_TYPE.PURCHASE },
  { name: 'appLoadKey', id: 0x03, type: KEY_TYPE.LOAD },
];

/** 8 bytes so EXTERNAL AUTHENTICATE encrypts a full DES block (PBOC/FMCOS practice). */
export const AUTH_CHALLENGE_LENGTH = 8;
/** 4 bytes, padded with zeros into the MAC IV (PBOC practice). */
export const MAC_CHALLENGE_LENGTH = 4;
/** Cardholder bytes per UPDATE BINARY: Lc = chunk + 4-byte MAC stays a short APDU. */
export const UPDATE_CHUNK_SIZE = 0xf0;
