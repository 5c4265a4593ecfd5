import { Module } from '@nestjs/common';
import { PersonnelCardsApi } from './personnel-cards.api';
import { TuyaClient } from './tuya-client';

/** Tuya's OpenAPI: the signed client and the personnel-card calls. */
@Module({ providers: [TuyaClient, PersonnelCardsApi], exports: [TuyaClient, PersonnelCardsApi] })
export class TuyaApiModule {}
