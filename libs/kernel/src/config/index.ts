export * from './base-config';
export * from './env-int';
export * from './load-config';
export * from './production-keys';
