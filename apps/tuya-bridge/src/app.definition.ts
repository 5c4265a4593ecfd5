import { OneCardAppDefinition } from '@onecard/kernel';
import { AppModule } from './app.module';
import { TuyaBridgeConfig } from './config';
import { migrations } from './migrations';
import { TuyaEnvelope } from './wire/tuya-envelope';

export const tuyaBridgeApp: OneCardAppDefinition<TuyaBridgeConfig> = {
  name: 'tuya-bridge',
  title: 'Client of Tuya Cloud\'s building personnel-card API, synced into a local store with change events.',
  defaultPort: 3005,
  defaultSchema: 'tuya_bridge',
  module: AppModule,
  configClass: TuyaBridgeConfig,
  envelope: new TuyaEnvelope(),
  migrations,
  http: {
    // The document gives its GET calls' parameters as "body": a client may send them as a JSON
    // body, which Fastify reads on GET only when told to (it is not parsed when absent).
    configure: (fastify) => fastify.addHttpMethod('GET', { hasBody: true, overrideExisting: true }),
  },
};
