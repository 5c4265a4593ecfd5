import { Module } from '@nestjs/common';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { DevicesModule } from '../devices/devices.module';
import { TerminalAuthModule } from '../terminal-auth/terminal-auth.module';
import { AuthorisationsController } from './authorisations.controller';
import { AuthorisationsService } from './authorisations.service';
import { TerminalFeedController } from './terminal-feed.controller';
import { TerminalFeedService } from './terminal-feed.service';

/** Who may pass at which terminal: the platform's authorize/revoke, the terminals' sync and ack. */
@Module({
  imports: [CallbacksModule, DevicesModule, TerminalAuthModule],
  controllers: [AuthorisationsController, TerminalFeedController],
  providers: [AuthorisationsService, TerminalFeedService],
})
export class AuthorisationsModule {}
