import { OneCardAppDefinition } from '@onecard/kernel';
import { AppModule } from './app.module';
import { CardIssuanceConfig } from './config';
import { migrations } from './migrations';
import { KioskEnvelope } from './wire/kiosk-envelope';
import { KIOSK_FEATURE_CODES } from './wire/kiosk-codes';

export const cardIssuanceApp: OneCardAppDefinition<CardIssuanceConfig> = {
  name: 'card-issuance',
  title: 'Server for self-service card-printing kiosks: orders, pickup codes, online APDU personalisation, consumables.',
  defaultPort: 3001,
  defaultSchema: 'card_issuance',
  module: AppModule,
  configClass: CardIssuanceConfig,
  envelope: new KioskEnvelope(KIOSK_FEATURE_CODES),
  migrations,
  sealing: [{ variable: 'MACHINE_SECRET_KEY', sealed: [{ table: 'machine', column: 'secret_sealed', what: 'kiosk secret' }] }],
};
