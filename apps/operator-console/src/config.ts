import { Matches, MaxLength, MinLength } from 'class-validator';
import { AppName } from '@onecard/contracts';
import { BaseConfig, EnvInt } from '@onecard/kernel';

const APP_URL = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;
const urlMessage = (variable: string) => `${variable} must be an http(s) URL without query, e.g. http://127.0.0.1:3001`;

/**
 * The console's environment. It extends the platform's BaseConfig for the variables it shares
 * with the apps (PORT, HOST, NATS_URL, NATS_STREAM, NATS_SUBJECT_PREFIX, ADMIN_TOKEN, LOG_LEVEL);
 * the database variables are inherited but never read: the console has no database.
 */
export class OperatorConsoleConfig extends BaseConfig {
  @Matches(APP_URL, { message: urlMessage('CONSOLE_CARD_ISSUANCE_URL') })
  CONSOLE_CARD_ISSUANCE_URL = 'http://127.0.0.1:3001';

  @Matches(APP_URL, { message: urlMessage('CONSOLE_TRANSIT_VALIDATION_URL') })
  CONSOLE_TRANSIT_VALIDATION_URL = 'http://127.0.0.1:3002';

  @Matches(APP_URL, { message: urlMessage('CONSOLE_CAMPUS_CARD_URL') })
  CONSOLE_CAMPUS_CARD_URL = 'http://127.0.0.1:3003';

  @Matches(APP_URL, { message: urlMessage('CONSOLE_WAGE_ATTENDANCE_URL') })
  CONSOLE_WAGE_ATTENDANCE_URL = 'http://127.0.0.1:3004';

  @Matches(APP_URL, { message: urlMessage('CONSOLE_TUYA_BRIDGE_URL') })
  CONSOLE_TUYA_BRIDGE_URL = 'http://127.0.0.1:3005';

  /**
   * What operators present: `Authorization: Bearer …` on /api, or once on the login form (the
   * browser then holds a signed session cookie). Never the apps' ADMIN_TOKEN, which stays here.
   */
  @MinLength(16, { message: 'CONSOLE_TOKEN must be at least 16 characters' })
  @MaxLength(256, { message: 'CONSOLE_TOKEN must be at most 256 characters' })
  CONSOLE_TOKEN!: string;

  /** How long a browser session lasts after the login form, seconds. */
  @EnvInt({ min: 60, max: 30 * 86_400 })
  CONSOLE_SESSION_S = 12 * 3600;

  /** One call to an app's /admin API: connecting, sending, reading the answer. */
  @EnvInt({ min: 100, max: 120_000 })
  CONSOLE_UPSTREAM_TIMEOUT_MS = 5000;

  /** Pages of 1,000 read at most per list (validators, kiosks, terminals): a bound on one view's cost. */
  @EnvInt({ min: 1, max: 1000 })
  CONSOLE_MAX_PAGES = 100;

  /** Each app's base URL, by name. */
  appUrls(): Record<AppName, string> {
    return {
      'card-issuance': this.CONSOLE_CARD_ISSUANCE_URL,
      'transit-validation': this.CONSOLE_TRANSIT_VALIDATION_URL,
      'campus-card': this.CONSOLE_CAMPUS_CARD_URL,
      'wage-attendance': this.CONSOLE_WAGE_ATTENDANCE_URL,
      'tuya-bridge': this.CONSOLE_TUYA_BRIDGE_URL,
    };
  }
}
