import { Global, Module } from '@nestjs/common';
import { WageKeys } from './wage-keys';

/** What every feature of the app shares. */
@Global()
@Module({ providers: [WageKeys], exports: [WageKeys] })
export class CommonModule {}
