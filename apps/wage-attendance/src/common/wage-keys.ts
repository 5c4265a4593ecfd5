import { Injectable } from '@nestjs/common';
import { keyOrDevelopmentKey } from '@onecard/kernel';
import { SecretBox } from '@onecard/platform';
import { WageAttendanceConfig } from '../config';

/**
 * The app's keys, resolved once: configured (required in production), else development values
 * derived from ADMIN_TOKEN with a warning naming each variable.
 */
@Injectable()
export class WageKeys {
  /** The supervision platform's bearer token. */
  readonly platformToken: string;
  /** Key of the callbacks' X-Signature. */
  readonly callbackSecret: string;
  /** Seals terminal secrets at rest. */
  readonly terminalSecrets: SecretBox;

  constructor(config: WageAttendanceConfig) {
    this.platformToken = keyOrDevelopmentKey(config, 'PLATFORM_TOKEN', config.PLATFORM_TOKEN);
    this.callbackSecret = keyOrDevelopmentKey(config, 'CALLBACK_SECRET', config.CALLBACK_SECRET);
    this.terminalSecrets = new SecretBox(keyOrDevelopmentKey(config, 'TERMINAL_SECRET_KEY', config.TERMINAL_SECRET_KEY));
  }
}
