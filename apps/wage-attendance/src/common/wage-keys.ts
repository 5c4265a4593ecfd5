import { Injectable } from '@nestjs/common';
import { keyOrDevelopmentKey } from '@onecard/kernel';
import { SealingKeys, SecretBox } from '@onecard/platform';
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
  /** Seals terminal secrets at rest (TERMINAL_SECRET_KEY, a key list: the platform checks and re-seals at start-up). */
  readonly terminalSecrets: SecretBox;

  constructor(config: WageAttendanceConfig, sealing: SealingKeys) {
    this.platformToken = keyOrDevelopmentKey(config, 'PLATFORM_TOKEN', config.PLATFORM_TOKEN);
    this.callbackSecret = keyOrDevelopmentKey(config, 'CALLBACK_SECRET', config.CALLBACK_SECRET);
    this.terminalSecrets = sealing.box('TERMINAL_SECRET_KEY');
  }
}
