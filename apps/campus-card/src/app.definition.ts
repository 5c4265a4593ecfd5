import { OneCardAppDefinition } from '@onecard/kernel';
import { AppModule } from './app.module';
import { CampusCardConfig } from './config';
import { migrations } from './migrations';
import { CardApiEnvelope } from './wire/card-api-envelope';
import { CARD_API_ERRNO } from './wire/card-api-errno';

export const campusCardApp: OneCardAppDefinition<CampusCardConfig> = {
  name: 'campus-card',
  title: 'Campus card accounts: OAuth2 scopes, balances, transactions, lost/frozen cards, recharge orders, photos, transfers.',
  defaultPort: 3003,
  defaultSchema: 'campus_card',
  module: AppModule,
  configClass: CampusCardConfig,
  envelope: new CardApiEnvelope(CARD_API_ERRNO),
  migrations,
  http: {
    // The document's GET examples carry their parameters as a form body (获取校园卡照片,
    // 查询充值请求): GET bodies are read like POST ones (the token guard merges query and body).
    configure: (fastify) => fastify.addHttpMethod('GET', { hasBody: true, overrideExisting: true }),
  },
};
