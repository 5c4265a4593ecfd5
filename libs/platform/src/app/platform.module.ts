import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { APP_DEFINITION, APP_LOGGER, AppLogger, BaseConfig, MetricsRegistry, OneCardAppDefinition, PLATFORM_CONFIG, WIRE_ENVELOPE } from '@onecard/kernel';
import { MessagingModule } from '@onecard/messaging';
import { BacklogAdminController } from '../admin/backlog-admin.controller';
import { BacklogSources } from '../admin/backlog-sources';
import { PlatformBacklog } from '../admin/platform-backlog';
import { EventsAdminController } from '../admin/events-admin.controller';
import { OutboxAdminController } from '../admin/outbox-admin.controller';
import { PendingOutbox } from '../admin/pending-outbox';
import { DatabaseModule } from '../database/database.module';
import { HealthController } from '../health/health.controller';
import { HealthIndicators } from '../health/health-indicators';
import { MetricsController } from '../health/metrics.controller';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { WireExceptionFilter } from '../http/wire-exception.filter';
import { OutboundHttp } from '../outbound/outbound-http';
import { DeviceSignatureVerifier } from '../security/device-signature';
import { NonceRegistry } from '../security/nonce-registry';
import { SealingKeys } from '../security/sealing-keys';

/** Everything an app gets from the platform, in one global module. */
@Global()
@Module({})
export class PlatformModule {
  static forApp(definition: OneCardAppDefinition, config: BaseConfig, logger: AppLogger): DynamicModule {
    const sealingKeys = new SealingKeys(definition, config);
    return {
      module: PlatformModule,
      imports: [DatabaseModule.forApp(definition, config, sealingKeys), TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }), MessagingModule],
      controllers: [HealthController, MetricsController, OutboxAdminController, EventsAdminController, BacklogAdminController],
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        // Features inject their app's config class directly.
        { provide: definition.configClass, useValue: config },
        { provide: APP_DEFINITION, useValue: definition },
        { provide: APP_LOGGER, useValue: logger },
        { provide: WIRE_ENVELOPE, useValue: definition.envelope },
        { provide: APP_FILTER, useClass: WireExceptionFilter },
        MetricsRegistry,
        { provide: SealingKeys, useValue: sealingKeys },
        NonceRegistry,
        DeviceSignatureVerifier,
        AdminTokenGuard,
        OutboundHttp,
        HealthIndicators,
        BacklogSources,
        PlatformBacklog,
        PendingOutbox,
      ],
      exports: [
        PLATFORM_CONFIG, definition.configClass, APP_DEFINITION, APP_LOGGER, WIRE_ENVELOPE, MetricsRegistry, SealingKeys, NonceRegistry, DeviceSignatureVerifier,
        AdminTokenGuard, OutboundHttp, HealthIndicators, BacklogSources, MessagingModule,
      ],
    };
  }
}
