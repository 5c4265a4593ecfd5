export * from './nats-connection.service';
export * from './outbox';
export * from './outbox-relay';
export * from './handles-event.decorator';
export * from './event-consumers';
export * from './rpc';
export * from './messaging-metrics';
