import { DeviceSignaturePolicy } from '@onecard/platform';
import { KioskAuthErrorCode as Code } from './kiosk-auth.errors';

/**
 * The kiosk's request signature is the platform's signed device request (see
 * @onecard/platform device-signature.ts) under these headers:
 *   X-Machine-No, X-Timestamp (unix ms, or unix seconds: 10 digits, as some kiosk firmware
 *   sends it; the same skew window), X-Nonce, X-Signature
 * X-Signature = lowercase hex HMAC-SHA256(secret, METHOD \n path-with-query \n timestamp \n nonce
 * \n lowercase hex SHA-256(raw body)).
 */
export const KIOSK_SIGNATURE: Omit<DeviceSignaturePolicy<never>, 'maxSkewMs' | 'lookup' | 'signatureHint'> = {
  headers: { device: 'x-machine-no', timestamp: 'x-timestamp', nonce: 'x-nonce', signature: 'x-signature' },
  deviceIdFormat: /^[A-Za-z0-9_.-]{1,64}$/,
  timestampSeconds: true,
  nonceScope: 'kiosk',
  unknownDeviceMessage: 'x-machine-no: unknown machine',
  codes: {
    headerMissing: Code.HEADER_MISSING,
    headerMalformed: Code.HEADER_MALFORMED,
    timestampStale: Code.TIMESTAMP_STALE,
    unknownDevice: Code.UNKNOWN_MACHINE,
    badSignature: Code.BAD_SIGNATURE,
    nonceReplayed: Code.NONCE_REPLAYED,
  },
};
