export * from './hmac';
export * from './secret-box';
export * from './nonce-registry';
export * from './device-signature';
export * from './sealing-keys';
export * from './sealed-data-check';
