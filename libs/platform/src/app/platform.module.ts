import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { BaseConfig } from '../config';
import { DatabaseModule } from '../database/database.module';
import { WIRE_ENVELOPE } from '../http/envelope';
import { WireExceptionFilter } from '../http/wire-exception.filter';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { HealthController } from '../health/health.controller';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsRegistry } from '../metrics/metrics-registry';
import { NatsConnectionService } from '../messaging/nats-connection.service';
import { Outbox } from '../messaging/outbox';
import { OutboxRelay } from '../messaging/outbox-relay';
import { EventConsumers } from '../messaging/event-consumers';
import { MessagingMetrics } from '../messaging/messaging-metrics';
import { MessagingGauges } from '../messaging/messaging-gauges';
import { NatsRpcServer, RpcClient } from '../messaging/rpc';
import { NonceRegistry } from '../security/nonce-registry';
import { OutboxAdminController } from '../messaging/outbox-admin.controller';
import type { AppLogger } from '../logging/logger';
import type { OneCardAppDefinition } from './app-definition';
import { APP_DEFINITION, APP_LOGGER, PLATFORM_CONFIG } from './tokens';

/** Everything an app gets from the platform, in one global module. */
@Global()
@Module({})
export class PlatformModule {
  static forApp(definition: OneCardAppDefinition, config: BaseConfig, logger: AppLogger): DynamicModule {
    const exported = [
      PLATFORM_CONFIG,
      definition.configClass,
      APP_DEFINITION,
      APP_LOGGER,
      WIRE_ENVELOPE,
      MetricsRegistry,
      NatsConnectionService,
      Outbox,
      RpcClient,
      NonceRegistry,
      AdminTokenGuard,
    ];
    return {
      module: PlatformModule,
      imports: [DatabaseModule.forApp(definition, config), TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }), DiscoveryModule],
      controllers: [HealthController, MetricsController, OutboxAdminController],
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        // Features inject their app's config class directly.
        { provide: definition.configClass, useValue: config },
        { provide: APP_DEFINITION, useValue: definition },
        { provide: APP_LOGGER, useValue: logger },
        { provide: WIRE_ENVELOPE, useValue: definition.envelope },
        { provide: APP_FILTER, useClass: WireExceptionFilter },
        MetricsRegistry,
        NatsConnectionService,
        Outbox,
        OutboxRelay,
        EventConsumers,
        MessagingMetrics,
        MessagingGauges,
        NatsRpcServer,
        RpcClient,
        NonceRegistry,
        AdminTokenGuard,
      ],
      exports: exported,
    };
  }
}
