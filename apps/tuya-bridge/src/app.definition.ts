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
};
