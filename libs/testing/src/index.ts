export * from './test-database';
export * from './test-bus';
export * from './tcp-proxy';
export * from './test-app';
export * from './wait';
export * from './platform-conformance';
export * from './raw-http';
export * from './bad-input';
