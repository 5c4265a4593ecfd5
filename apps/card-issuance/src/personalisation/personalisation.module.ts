import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CardKeysModule } from '../card-keys/card-keys.module';
import { KioskAuthModule } from '../kiosk-auth/kiosk-auth.module';
import { PersonalisationSession } from './personalisation-session.entity';
import { PersonalisationController } from './personalisation.controller';
import { CardCompletionService } from './card-completion.service';
import { PersonalisationService } from './personalisation.service';
import { SessionExpiry } from './session-expiry';

@Module({
  imports: [TypeOrmModule.forFeature([PersonalisationSession]), KioskAuthModule, CardKeysModule],
  controllers: [PersonalisationController],
  providers: [PersonalisationService, CardCompletionService, SessionExpiry],
})
export class PersonalisationModule {}
