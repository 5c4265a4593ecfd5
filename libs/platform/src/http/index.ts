export * from './controllers';
export * from './admin-token.guard';
export * from './send-wire';
export * from './wire-exception.filter';
export * from './wire-response';
export * from './body-depth';
export * from './framework-errors';
