// @onecard/messaging: the app's NATS connection, the transactional outbox and its relay thread,
// durable JetStream consumers with an inbox, bounded retries and dead letters, typed
// request/reply, and the tables they need.
export * from './nats/nats-connection.service';
export * from './nats/event-stream';
export * from './outbox/outbox';
export * from './outbox/outbox-relay';
export * from './consumers/handles-event.decorator';
export * from './consumers/event-handlers';
export * from './consumers/event-consumers';
export * from './consumers/dead-letters';
export * from './consumers/event-replay';
export * from './consumers/consumer-lag';
export * from './rpc/rpc';
export * from './messaging-metrics';
export * from './messaging.module';
export * from './migrations';
