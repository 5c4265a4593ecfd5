/**
 * @onecard/apdu — ISO 7816-4 APDUs, BER-TLV, card crypto (DES/3DES/SM4, retail and
 * PBOC SM4 MACs, PBOC diversification), the OneCard CPU-card personalisation state
 * machine and a virtual CPU card for tests. Framework-free: node:crypto and node:buffer only.
 */
export * from './errors';
export { hexToBytes, toHex, xorBytes } from './bytes';

export * from './apdu/command-apdu';
export * from './apdu/response-apdu';
export * from './apdu/status-words';

export * from './tlv/ber-tlv';

export * from './crypto/block-cipher';
export * from './crypto/padding';
export * from './crypto/mac';
export * from './crypto/diversification';

export * from './card/profile';
export * from './card/commands';
export * from './card/key-record';
export * from './card/secure-messaging';
export * from './card/card-keys';
export * from './card/cardholder-file';

export * from './personalisation/types';
export { startPersonalisation, advancePersonalisation } from './personalisation/personalisation';

// Testing entry points (still framework-free).
export { VirtualCpuCard } from './virtual-card/virtual-cpu-card';
export type { BlankCardOptions, TranscriptEntry } from './virtual-card/virtual-cpu-card';
export { runBatch, runPersonalisation, blankCardFor } from './virtual-card/kiosk-simulator';
export type { ApduTransport, KioskOptions, PersonalisationRun } from './virtual-card/kiosk-simulator';
