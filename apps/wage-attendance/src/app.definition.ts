import { OneCardAppDefinition } from '@onecard/kernel';
import { AppModule } from './app.module';
import { WageAttendanceConfig } from './config';
import { migrations } from './migrations';
import { PlatformEnvelope } from './wire/platform-envelope';

export const wageAttendanceApp: OneCardAppDefinition<WageAttendanceConfig> = {
  name: 'wage-attendance',
  title: 'Device platform for the wage-payment supervision platform: terminals, persons, authorisations, recognition records, callbacks.',
  defaultPort: 3004,
  defaultSchema: 'wage_attendance',
  module: AppModule,
  configClass: WageAttendanceConfig,
  envelope: new PlatformEnvelope(),
  migrations,
  sealing: [{ variable: 'TERMINAL_SECRET_KEY', sealed: [{ table: 'device', column: 'secret_sealed', what: 'terminal secret' }] }],
};
