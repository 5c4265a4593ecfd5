import type { Type } from '@nestjs/common';
import type { AppName } from '@onecard/contracts';
import type { BaseConfig } from '../config';
import type { WireEnvelope } from '../wire/envelope';

/** Everything the platform needs to know to boot one OneCard app. */
export interface OneCardAppDefinition<C extends BaseConfig = BaseConfig> {
  name: AppName;
  /** Human title for /docs. */
  title: string;
  defaultPort: number;
  defaultSchema: string;
  /** The app's root feature module. */
  module: Type<unknown>;
  configClass: new () => C;
  envelope: WireEnvelope;
  /** The app's committed migrations, oldest first; the platform's own tables come before them. */
  migrations: Array<new () => unknown>;
}
