import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { ChecksModule } from './checks/checks.module';
import { CoreModule } from './core/core.module';
import { HeartbeatModule } from './heartbeat/heartbeat.module';
import { QrModule } from './qr/qr.module';
import { WhitelistModule } from './whitelist/whitelist.module';

/** transit-validation's features. */
@Module({ imports: [CoreModule, AuthModule, HeartbeatModule, WhitelistModule, ChecksModule, QrModule] })
export class AppModule {}
