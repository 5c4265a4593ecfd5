import { IsDefined, Matches, MaxLength, ValidateIf } from 'class-validator';
import { BaseConfig, EnvInt } from '@onecard/kernel';

const CREDENTIALS = ['TUYA_CLIENT_ID', 'TUYA_CLIENT_SECRET', 'TUYA_PROJECT_IDS'] as const;

/**
 * The three credentials come together or not at all: once one is set, the others are required
 * (half a configuration is a mistake, not "off").
 */
const WithOtherCredentials = () => ValidateIf((config: TuyaBridgeConfig) => CREDENTIALS.some((name) => config[name] !== undefined));

/** tuya-bridge's environment: the platform's variables plus its own. */
export class TuyaBridgeConfig extends BaseConfig {
  /** Tuya's OpenAPI endpoint for the project's data centre (China: openapi.tuyacn.com). */
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'TUYA_ENDPOINT must be an http(s) URL such as https://openapi.tuyacn.com' })
  TUYA_ENDPOINT = 'https://openapi.tuyacn.com';

  /** The cloud project's Access ID. Unset (with the two below): the app runs, syncs nothing, and /health says so. */
  @WithOtherCredentials() @IsDefined() @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'TUYA_CLIENT_ID must be 1-64 of A-Z a-z 0-9 _ -' })
  TUYA_CLIENT_ID?: string;

  /** The cloud project's Access Secret: signs every request; never logged. */
  @WithOtherCredentials() @IsDefined() @Matches(/^[\x21-\x7e]{16,128}$/, { message: 'TUYA_CLIENT_SECRET must be 16-128 printable ASCII characters' })
  TUYA_CLIENT_SECRET?: string;

  /** Tuya building projects to sync, comma-separated. */
  @WithOtherCredentials() @IsDefined() @MaxLength(4096)
  @Matches(/^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*$/, { message: 'TUYA_PROJECT_IDS must be project ids separated by commas (A-Z a-z 0-9 _ -, no spaces)' })
  TUYA_PROJECT_IDS?: string;

  /** Seconds between scheduled syncs (the first runs at start-up); 0 syncs only when an operator asks. */
  @EnvInt({ min: 0, max: 7 * 24 * 3600 })
  TUYA_SYNC_INTERVAL_S = 300;

  /** Persons asked for per page of Tuya's list. */
  @EnvInt({ min: 1, max: 200 })
  TUYA_PAGE_SIZE = 50;

  /** Persons whose cards are fetched at once during a sync (Tuya rate-limits a project). */
  @EnvInt({ min: 1, max: 32 })
  TUYA_SYNC_CONCURRENCY = 4;

  /** Per attempt, connecting to reading the whole answer, ms. */
  @EnvInt({ min: 100, max: 120_000 })
  TUYA_TIMEOUT_MS = 10_000;

  /** Attempts per call (the first included) on network errors, timeouts, 5xx and rate limits. */
  @EnvInt({ min: 1, max: 10 })
  TUYA_MAX_ATTEMPTS = 3;

  /** The configured projects, or none when Tuya is not configured. */
  get tuyaProjectIds(): string[] {
    return this.TUYA_PROJECT_IDS ? [...new Set(this.TUYA_PROJECT_IDS.split(','))] : [];
  }

  /** Whether credentials are set (config validation guarantees all three or none). */
  get tuyaConfigured(): boolean {
    return this.TUYA_CLIENT_ID !== undefined;
  }
}
