export * from './app-error';
export * from './envelope';
export * from './validation';
export * from './controllers';
export * from './admin-token.guard';
export * from './wire-exception.filter';
export * from './wire-response';
