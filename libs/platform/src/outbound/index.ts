export * from './outbound-types';
export * from './outbound-client';
export * from './outbound-http';
export * from './retry-after';
