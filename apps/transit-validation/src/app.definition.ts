import { OneCardAppDefinition } from '@onecard/platform';
import { AppModule } from './app.module';
import { TransitValidationConfig } from './config';
import { migrations } from './migrations';
import { ValidatorEnvelope } from './wire/validator-envelope';

export const transitValidationApp: OneCardAppDefinition<TransitValidationConfig> = {
  name: 'transit-validation',
  title: 'Server for bus validators: tokens, GPS heartbeat, whitelists, card and QR checks, offline logs.',
  defaultPort: 3002,
  defaultSchema: 'transit_validation',
  module: AppModule,
  configClass: TransitValidationConfig,
  envelope: new ValidatorEnvelope(),
  migrations,
};
