import { Module } from '@nestjs/common';
import { WhitelistModule } from '../whitelist/whitelist.module';
import { CardCheckController } from './card-check.controller';
import { CardCheckRecorder } from './card-check-recorder';
import { CardCheckService } from './card-check.service';

@Module({
  imports: [WhitelistModule],
  controllers: [CardCheckController],
  providers: [CardCheckService, CardCheckRecorder],
})
export class ChecksModule {}
