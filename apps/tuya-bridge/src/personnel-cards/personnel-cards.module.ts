import { Module } from '@nestjs/common';
import { TuyaApiModule } from '../tuya-api/tuya-api.module';
import { CardPasswordService } from './card-password.service';
import { PersonnelCardsHttpController } from './personnel-cards.controller';
import { PersonnelQueries } from './personnel-queries.service';

@Module({
  imports: [TuyaApiModule],
  controllers: [PersonnelCardsHttpController],
  providers: [PersonnelQueries, CardPasswordService],
})
export class PersonnelCardsModule {}
