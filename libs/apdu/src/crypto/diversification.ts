import { Buffer } from 'node:buffer';
import { invertBytes } from '../bytes';
import { CryptoInputError } from '../errors';
import { blockEncrypt } from './block-cipher';
import { padIso9797Method2 } from './padding';

/** Card cipher suites: 3DES (16-byte 2-key keys) or SM4 (16-byte keys). */
export type CardAlgorithm = '3DES' | 'SM4';

function checkMasterKey(key: Uint8Array, algorithm: CardAlgorithm): void {
  const ok = algorithm === 'SM4' ? key.length === 16 : key.length === 16 || key.length === 24;
  if (!ok) throw new CryptoInputError(`${algorithm} master key has invalid length ${key.length}`);
}

/**
 * Diversification data from an identifier (card inner code / UID): right-aligned
 * in 8 bytes, left-padded with 00; identifiers longer than 8 bytes keep their
 * rightmost 8 bytes, as PBOC does with the application serial number.
 */
export function diversificationData(id: Uint8Array): Buffer {
  if (id.length === 0) throw new CryptoInputError('diversification identifier is empty');
  if (id.length >= 8) return Buffer.from(id.subarray(id.length - 8));
  return Buffer.concat([Buffer.alloc(8 - id.length), Buffer.from(id)]);
}

/**
 * PBOC one-level key diversification (JR/T 0025, = EMV Book 2 A1.4.1 option A
 * without the parity fix):
 *   3DES: left = 3DES-ECB(MK, D), right = 3DES-ECB(MK, ~D), key = left || right
 *   SM4:  key = SM4-ECB(MK, D || ~D)
 * D is 8 bytes. Always yields a 16-byte key.
 */
export function pbocDiversify(masterKey: Uint8Array, d: Uint8Array, algorithm: CardAlgorithm): Buffer {
  checkMasterKey(masterKey, algorithm);
  if (d.length !== 8) throw new CryptoInputError(`diversification data must be 8 bytes, got ${d.length}`);
  const input = Buffer.concat([Buffer.from(d), invertBytes(d)]);
  // ECB encrypts the two halves independently, so one call gives E(D) || E(~D) for 3DES.
  return blockEncrypt(algorithm === 'SM4' ? 'SM4' : '3DES', masterKey, input, 'ECB');
}

/** Sets odd parity on every byte of a DES key (EMV option A's last step; DES ignores these bits). */
export function adjustDesParity(key: Uint8Array): Buffer {
  return Buffer.from(
    Array.from(key, (b) => {
      let ones = 0;
      for (let i = 1; i < 8; i++) ones += (b >> i) & 1;
      return (b & 0xfe) | (ones % 2 === 0 ? 1 : 0);
    }),
  );
}

/**
 * PBOC e-purse session ("process") key from 8 bytes of session data:
 *   3DES: SK = 3DES-ECB(K, data)                 → 8-byte single-DES key (JR/T 0025 ED/EP)
 *   SM4:  SK = SM4-ECB(K, data || 80 00..00)     → 16-byte key
 * The SM4 padding mirrors PBOC's "8000" filler; it is this library's convention.
 */
export function pbocSessionKey(key: Uint8Array, sessionData: Uint8Array, algorithm: CardAlgorithm): Buffer {
  checkMasterKey(key, algorithm);
  if (sessionData.length !== 8) throw new CryptoInputError(`session data must be 8 bytes, got ${sessionData.length}`);
  if (algorithm === '3DES') return blockEncrypt('3DES', key, sessionData, 'ECB');
  return blockEncrypt('SM4', key, padIso9797Method2(sessionData, 16), 'ECB');
}

function fixed(name: string, b: Uint8Array, length: number): Buffer {
  if (b.length !== length) throw new CryptoInputError(`${name} must be ${length} bytes, got ${b.length}`);
  return Buffer.from(b);
}

/** Purchase: card random (4) || offline ATC (2) || rightmost 2 bytes of the terminal transaction number (4). */
export function purchaseSessionData(cardRandom: Uint8Array, offlineAtc: Uint8Array, terminalTxnNo: Uint8Array): Buffer {
  const t = fixed('terminal transaction number', terminalTxnNo, 4);
  return Buffer.concat([fixed('card random', cardRandom, 4), fixed('offline ATC', offlineAtc, 2), t.subarray(2)]);
}

/** Load (圈存): card random (4) || online ATC (2) || 80 00. */
export function loadSessionData(cardRandom: Uint8Array, onlineAtc: Uint8Array): Buffer {
  return Buffer.concat([fixed('card random', cardRandom, 4), fixed('online ATC', onlineAtc, 2), Buffer.from([0x80, 0x00])]);
}
