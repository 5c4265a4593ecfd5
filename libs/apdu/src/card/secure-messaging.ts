import { Buffer } from 'node:buffer';
import { CommandApdu } from '../apdu/command-apdu';
import { equalBytes, rightPadZeros } from '../bytes';
import { blockDecrypt, blockEncrypt } from '../crypto/block-cipher';
import { CardAlgorithm } from '../crypto/diversification';
import { pbocSm4Mac, retailMac, Sm4MacFold, truncateMac } from '../crypto/mac';
import { padIfUnaligned } from '../crypto/padding';
import { CryptoInputError } from '../errors';
import { CLA_SM_BIT } from './commands';

/**
 * PBOC / FMCOS line protection, shared by the server-side script builder and the
 * virtual card so that both compute exactly the same bytes.
 *
 * MAC  = leading 4 bytes of
 *          3DES: ISO 9797-1 alg 3 (retail MAC, 16-byte key), method-2 padding to 8
 *          SM4:  SM4-CBC over method-2 padding to 16, folded left8 XOR right8 ('xor-halves'), or
 *                unfolded ('none') for a COS that takes the block's leading bytes as they are
 *        over CLA' INS P1 P2 Lc' || data, where CLA' has bit 0x04 set and Lc' counts the MAC,
 *        IV = card challenge right-padded with 00 to the block size.
 * Data = ECB(K, Ld || plain [|| 80 00..]) with padding only if not block-aligned.
 */

export const SM_MAC_LENGTH = 4;

function cipherOf(algorithm: CardAlgorithm): '3DES' | 'SM4' {
  return algorithm === 'SM4' ? 'SM4' : '3DES';
}

export function blockSizeOf(algorithm: CardAlgorithm): 8 | 16 {
  return algorithm === 'SM4' ? 16 : 8;
}

/** Challenge right-padded with zeros to the cipher block: the MAC IV and the auth plaintext. */
export function challengeBlock(challenge: Uint8Array, algorithm: CardAlgorithm): Buffer {
  return rightPadZeros(challenge, blockSizeOf(algorithm));
}

/** `sm4MacFold` is the card's SM4 MAC form (see README, "Crypto variants"); 3DES ignores it. */
export function secureMessagingMac(
  algorithm: CardAlgorithm, key: Uint8Array, macInput: Uint8Array, challenge: Uint8Array, sm4MacFold: Sm4MacFold = 'xor-halves',
): Buffer {
  const iv = challengeBlock(challenge, algorithm);
  const full = algorithm === 'SM4' ? pbocSm4Mac(key, macInput, { iv, fold: sm4MacFold }) : retailMac(key, macInput, { iv });
  return truncateMac(full, SM_MAC_LENGTH);
}

function macInputFor(cla: number, command: CommandApdu, data: Uint8Array, lc: number): Buffer {
  return Buffer.concat([Buffer.from([cla, command.ins, command.p1, command.p2, lc]), Buffer.from(data)]);
}

/** Adds the CLA SM bit and appends the 4-byte MAC to the command data. */
export function withMac(command: CommandApdu, algorithm: CardAlgorithm, key: Uint8Array, challenge: Uint8Array, sm4MacFold?: Sm4MacFold): CommandApdu {
  const cla = command.cla | CLA_SM_BIT;
  const lc = command.data.length + SM_MAC_LENGTH;
  if (lc > 255) throw new CryptoInputError(`secure-messaging command data too long for a short APDU (${lc})`);
  const mac = secureMessagingMac(algorithm, key, macInputFor(cla, command, command.data, lc), challenge, sm4MacFold);
  return command.with({ cla, data: Buffer.concat([command.data, mac]) });
}

/** Card side: checks the trailing MAC; returns the data without it, or null if the MAC is wrong. */
export function verifyMac(command: CommandApdu, algorithm: CardAlgorithm, key: Uint8Array, challenge: Uint8Array, sm4MacFold?: Sm4MacFold): Buffer | null {
  if ((command.cla & CLA_SM_BIT) === 0 || command.data.length < SM_MAC_LENGTH) return null;
  const data = command.data.subarray(0, command.data.length - SM_MAC_LENGTH);
  const mac = command.data.subarray(command.data.length - SM_MAC_LENGTH);
  const expected = secureMessagingMac(algorithm, key, macInputFor(command.cla, command, data, command.data.length), challenge, sm4MacFold);
  return equalBytes(mac, expected) ? Buffer.from(data) : null;
}

/** Ld || plain, padded 80 00.. only when unaligned, ECB-encrypted. */
export function encryptSmData(algorithm: CardAlgorithm, key: Uint8Array, plain: Uint8Array): Buffer {
  if (plain.length > 255) throw new CryptoInputError('secure-messaging plaintext longer than 255 bytes');
  const framed = padIfUnaligned(Buffer.concat([Buffer.from([plain.length]), Buffer.from(plain)]), blockSizeOf(algorithm));
  return blockEncrypt(cipherOf(algorithm), key, framed, 'ECB');
}

/** Inverse of encryptSmData; throws CryptoInputError if the frame is inconsistent. */
export function decryptSmData(algorithm: CardAlgorithm, key: Uint8Array, encrypted: Uint8Array): Buffer {
  const bs = blockSizeOf(algorithm);
  if (encrypted.length === 0 || encrypted.length % bs !== 0) throw new CryptoInputError('encrypted data is not block-aligned');
  const framed = blockDecrypt(cipherOf(algorithm), key, encrypted, 'ECB');
  const ld = framed[0];
  if (1 + ld > framed.length) throw new CryptoInputError(`Ld=${ld} exceeds decrypted length ${framed.length}`);
  const rest = framed.subarray(1 + ld);
  const aligned = (1 + ld) % bs === 0;
  const padOk = aligned ? rest.length === 0 : rest.length < bs && rest[0] === 0x80 && rest.subarray(1).every((b) => b === 0);
  if (!padOk) throw new CryptoInputError('bad padding after decrypted data');
  return Buffer.from(framed.subarray(1, 1 + ld));
}

/** EXTERNAL AUTHENTICATE cryptogram: E(K, challenge || 00..) over one block. */
export function authCryptogram(algorithm: CardAlgorithm, key: Uint8Array, challenge: Uint8Array): Buffer {
  return blockEncrypt(cipherOf(algorithm), key, challengeBlock(challenge, algorithm), 'ECB');
}
