// @onecard/kernel: what every OneCard library and app shares, with no I/O of its own —
// the app definition and injection tokens, errors, config, logging, the metrics registry,
// the wire-envelope contract and input validation.
export * from './app/app-definition';
export * from './app/tokens';
export * from './app/startup-error';
export * from './errors/app-error';
export * from './errors/database-unavailable';
export * from './errors/to-app-error';
export * from './wire/envelope';
export * from './config';
export * from './logging';
export * from './metrics/metrics-registry';
export * from './validation/validation';
export * from './validation/form-values';
export * from './validation/required-string';
