import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConsumerLag } from './consumers/consumer-lag';
import { DeadLetters } from './consumers/dead-letters';
import { EventConsumers } from './consumers/event-consumers';
import { EventHandlers } from './consumers/event-handlers';
import { EventReplay } from './consumers/event-replay';
import { Inbox } from './consumers/inbox';
import { MessagingGauges } from './messaging-gauges';
import { MessagingMetrics } from './messaging-metrics';
import { NatsConnectionService } from './nats/nats-connection.service';
import { Outbox } from './outbox/outbox';
import { OutboxRelay } from './outbox/outbox-relay';
import { NatsRpcServer, RpcClient } from './rpc/rpc';

/**
 * Messaging for one app. It needs the kernel's providers (APP_DEFINITION, PLATFORM_CONFIG,
 * MetricsRegistry) and a TypeORM DataSource from the importing module's scope.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    NatsConnectionService,
    Outbox,
    OutboxRelay,
    EventHandlers,
    Inbox,
    DeadLetters,
    EventReplay,
    ConsumerLag,
    EventConsumers,
    MessagingMetrics,
    MessagingGauges,
    NatsRpcServer,
    RpcClient,
  ],
  exports: [NatsConnectionService, Outbox, OutboxRelay, RpcClient, NatsRpcServer, DeadLetters, EventReplay, ConsumerLag],
})
export class MessagingModule {}
