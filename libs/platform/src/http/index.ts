export * from './controllers';
export * from './admin-token.guard';
export * from './answer-with';
export * from './raw-body';
export * from './send-wire';
export * from './wire-exception.filter';
export * from './wire-response';
