import { OneCardAppDefinition } from '@onecard/kernel';
import { AppModule } from './app.module';
import { CARD_OUTCOMES, checkAnswersDoc, TICKET_OUTCOMES } from './checks/check-outcome';
import { TransitValidationConfig } from './config';
import { migrations } from './migrations';
import { configureTransitHttp } from './wire/http-setup';
import { FEATURE_RET_CODES, RET_CODE_DOC } from './wire/ret-codes';
import { ValidatorEnvelope } from './wire/validator-envelope';

export const transitValidationApp: OneCardAppDefinition<TransitValidationConfig> = {
  name: 'transit-validation',
  title: [
    'Server for bus validators: tokens, GPS heartbeat, whitelists, card and QR checks, offline logs.',
    'Every answer is HTTP 200 `{req_id, ret_code, ret_msg, …}` with req_id echoed. Validator paths sit under TRANSIT_BASE_PATH.',
    '',
    RET_CODE_DOC,
    '',
    'Card check outcomes:',
    '',
    checkAnswersDoc(CARD_OUTCOMES),
    '',
    'QR ticket check outcomes:',
    '',
    checkAnswersDoc(TICKET_OUTCOMES),
  ].join('\n'),
  defaultPort: 3002,
  defaultSchema: 'transit_validation',
  module: AppModule,
  configClass: TransitValidationConfig,
  envelope: new ValidatorEnvelope(FEATURE_RET_CODES),
  migrations,
  http: { configure: configureTransitHttp },
  sealing: [
    {
      variable: 'TRANSIT_SECRET_KEY',
      sealed: [
        { table: 'device', column: 'secret_sealed', what: 'device secret' },
        { table: 'qr_key', column: 'private_key_sealed', what: 'QR private key' },
      ],
    },
  ],
};
