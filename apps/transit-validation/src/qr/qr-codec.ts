import { createPublicKey, KeyObject, randomBytes, sign, verify } from 'node:crypto';

/**
 * A rider's QR ticket, as the QR code carries it: binary, then base64url (≈ 130 characters for
 * a short user id, a version-8 QR code at level L).
 *
 * | bytes | field                                                        |
 * | ----- | ------------------------------------------------------------ |
 * | 1     | format, 0x01                                                 |
 * | 4     | key group version_code (uint32, big-endian)                  |
 * | 4     | key_id (uint32): which key of the group signed it            |
 * | 4     | issued at, unix seconds (uint32)                             |
 * | 4     | expires at, unix seconds (uint32)                            |
 * | 8     | ticket id (random): what single use is recorded under         |
 * | 1 + n | user id, length-prefixed UTF-8 (1–64 bytes)                  |
 * | 64    | Ed25519 signature over every byte before it                  |
 *
 * Validators hold only PUBLIC keys (the `key` of get_qrcode_keys is the 32-byte Ed25519
 * public key in hex), so a validator, or anyone who reads its memory, can check codes but
 * never make one.
 */
export interface QrTicket {
  versionCode: number;
  keyId: number;
  issuedAt: number;
  expiresAt: number;
  /** 16 hex characters. */
  ticketId: string;
  userId: string;
}

export interface DecodedQr extends QrTicket {
  signed: Buffer;
  signature: Buffer;
}

export const QR_FORMAT = 1;
const HEADER = 25;
const SIGNATURE = 64;
const UINT32_MAX = 0xffffffff;

function fieldsOf(ticket: QrTicket): Buffer {
  const user = Buffer.from(ticket.userId, 'utf8');
  if (user.length < 1 || user.length > 64) throw new Error('user id must be 1–64 bytes');
  for (const n of [ticket.versionCode, ticket.keyId, ticket.issuedAt, ticket.expiresAt]) {
    if (!Number.isInteger(n) || n < 0 || n > UINT32_MAX) throw new Error('ticket numbers must be uint32');
  }
  if (!/^[0-9a-f]{16}$/.test(ticket.ticketId)) throw new Error('ticket id must be 16 hex characters');
  const out = Buffer.alloc(HEADER + 1 + user.length);
  out.writeUInt8(QR_FORMAT, 0);
  out.writeUInt32BE(ticket.versionCode, 1);
  out.writeUInt32BE(ticket.keyId, 5);
  out.writeUInt32BE(ticket.issuedAt, 9);
  out.writeUInt32BE(ticket.expiresAt, 13);
  Buffer.from(ticket.ticketId, 'hex').copy(out, 17);
  out.writeUInt8(user.length, HEADER);
  user.copy(out, HEADER + 1);
  return out;
}

export function newTicketId(): string {
  return randomBytes(8).toString('hex');
}

/** Signs a ticket with the group key `privateKey` (Ed25519). */
export function encodeQr(ticket: QrTicket, privateKey: KeyObject): string {
  const fields = fieldsOf(ticket);
  return Buffer.concat([fields, sign(null, fields, privateKey)]).toString('base64url');
}

/** Reads a scanned code; undefined when it is not one of ours (no signature check here). */
export function decodeQr(text: string): DecodedQr | undefined {
  if (typeof text !== 'string' || text.length > 400 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.length < HEADER + 2 + SIGNATURE || bytes.readUInt8(0) !== QR_FORMAT) return undefined;
  const userLength = bytes.readUInt8(HEADER);
  if (userLength < 1 || userLength > 64 || bytes.length !== HEADER + 1 + userLength + SIGNATURE) return undefined;
  const signedLength = HEADER + 1 + userLength;
  return {
    versionCode: bytes.readUInt32BE(1),
    keyId: bytes.readUInt32BE(5),
    issuedAt: bytes.readUInt32BE(9),
    expiresAt: bytes.readUInt32BE(13),
    ticketId: bytes.subarray(17, 25).toString('hex'),
    userId: bytes.subarray(HEADER + 1, signedLength).toString('utf8'),
    signed: bytes.subarray(0, signedLength),
    signature: bytes.subarray(signedLength),
  };
}

export function verifyQr(decoded: DecodedQr, publicKey: KeyObject): boolean {
  try {
    return verify(null, decoded.signed, publicKey, decoded.signature);
  } catch {
    return false;
  }
}

/** A public key as validators receive it: the raw 32 bytes, hex. */
export function publicKeyHex(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string };
  return Buffer.from(jwk.x, 'base64url').toString('hex');
}

export function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}
