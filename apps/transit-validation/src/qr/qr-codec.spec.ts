import { generateKeyPairSync } from 'node:crypto';
import { decodeQr, encodeQr, newTicketId, publicKeyFromHex, publicKeyHex, QrTicket, verifyQr } from './qr-codec';

describe('QR ticket codec', () => {
  const group = generateKeyPairSync('ed25519');
  const validator = publicKeyFromHex(publicKeyHex(group.publicKey));
  const ticket: QrTicket = { versionCode: 1526005635, keyId: 3, issuedAt: 1700000000, expiresAt: 1700000120, ticketId: newTicketId(), userId: 'U1001' };

  it('round-trips a ticket in a compact, QR-friendly string', () => {
    const code = encodeQr(ticket, group.privateKey);
    expect(code).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(code.length).toBeLessThanOrEqual(132);
    const decoded = decodeQr(code)!;
    expect({ ...decoded, signed: undefined, signature: undefined }).toEqual({ ...ticket, signed: undefined, signature: undefined });
    expect(verifyQr(decoded, validator)).toBe(true);
  });

  it('hands validators a 32-byte public key in hex', () => {
    expect(publicKeyHex(group.publicKey)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses any change to the payload or the signature', () => {
    const bytes = Buffer.from(encodeQr(ticket, group.privateKey), 'base64url');
    for (const offset of [1, 5, 9, 13, 17, 26, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[offset] ^= 0x01;
      const decoded = decodeQr(tampered.toString('base64url'));
      expect(decoded && verifyQr(decoded, validator)).toBeFalsy();
    }
  });

  it('refuses a code signed with another key (a validator cannot forge one: it holds only public keys)', () => {
    const forger = generateKeyPairSync('ed25519');
    expect(verifyQr(decodeQr(encodeQr(ticket, forger.privateKey))!, validator)).toBe(false);
  });

  it('does not read what is not a ticket', () => {
    expect(decodeQr('')).toBeUndefined();
    expect(decodeQr('hello world')).toBeUndefined();
    expect(decodeQr(Buffer.alloc(40).toString('base64url'))).toBeUndefined();
    const code = encodeQr(ticket, group.privateKey);
    expect(decodeQr(code.slice(0, -4))).toBeUndefined();
  });

  it('refuses to encode what does not fit', () => {
    expect(() => encodeQr({ ...ticket, userId: 'x'.repeat(65) }, group.privateKey)).toThrow('user id');
    expect(() => encodeQr({ ...ticket, expiresAt: 2 ** 32 }, group.privateKey)).toThrow('uint32');
  });
});
