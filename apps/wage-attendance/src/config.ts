import { Transform } from 'class-transformer';
import { IsOptional, Matches, MaxLength, MinLength, ValidateBy, ValidateIf } from 'class-validator';
import { BaseConfig, EnvInt, HEX_KEY_LIST } from '@onecard/kernel';

/** wage-attendance's environment: the platform's variables plus its own. */
export class WageAttendanceConfig extends BaseConfig {
  /**
   * Bearer token the supervision platform sends on its eight calls (`Authorization: Bearer …`).
   * Required in production; elsewhere derived from ADMIN_TOKEN (with a warning).
   */
  @ValidateIf((c: WageAttendanceConfig) => c.NODE_ENV === 'production' || c.PLATFORM_TOKEN !== undefined)
  @MinLength(16, { message: 'PLATFORM_TOKEN must be at least 16 characters; it is required in production' })
  @MaxLength(256, { message: 'PLATFORM_TOKEN must be at most 256 characters' })
  PLATFORM_TOKEN?: string;

  /**
   * Where callbacks go: the document's paths (`/autosos/callback/otherDevices/…`) are appended.
   * Unset (or empty): callbacks are kept, in order, until it is set.
   */
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'SUPERVISION_CALLBACK_URL must be an http(s) URL without query, e.g. https://platform.example/api' })
  SUPERVISION_CALLBACK_URL?: string;

  /** Key of each callback's X-Signature (HMAC-SHA256). Required in production; derived from ADMIN_TOKEN elsewhere. */
  @ValidateIf((c: WageAttendanceConfig) => c.NODE_ENV === 'production' || c.CALLBACK_SECRET !== undefined)
  @MinLength(16, { message: 'CALLBACK_SECRET must be at least 16 characters; it is required in production' })
  @MaxLength(256, { message: 'CALLBACK_SECRET must be at most 256 characters' })
  CALLBACK_SECRET?: string;

  /**
   * AES-256 key (64 hex digits) sealing terminal secrets at rest, or a comma-separated list of
   * them, newest first, to rotate: sealed with the first, opened with whichever sealed them; at
   * start-up what an older listed key sealed is re-sealed with the first, and keys that cannot
   * open the device table stop start-up. Required in production.
   */
  @ValidateIf((c: WageAttendanceConfig) => c.NODE_ENV === 'production' || c.TERMINAL_SECRET_KEY !== undefined)
  @Matches(HEX_KEY_LIST, { message: 'TERMINAL_SECRET_KEY must be 64 hex digits (a 32-byte key), or a comma-separated list of such keys, newest first; it is required in production' })
  TERMINAL_SECRET_KEY?: string;

  /** Largest accepted difference between a terminal's X-Timestamp and the server clock. */
  @EnvInt({ min: 1000, max: 3_600_000 })
  SIGNATURE_MAX_SKEW_MS = 300_000;

  /** How long a replica keeps a terminal's secret and state in memory (a cache of the database). */
  @EnvInt({ min: 0, max: 600_000 })
  TERMINAL_CACHE_MS = 5000;

  /** A terminal silent this long (no heartbeat, sync or ack) is reported offline (onlineState 2). */
  @EnvInt({ min: 10, max: 86_400 })
  TERMINAL_OFFLINE_AFTER_S = 120;

  /**
   * How often each replica looks for terminals that fell silent, to publish their `offline`
   * (device.status-changed): the event comes at most this late. One indexed UPDATE over the online.
   */
  @EnvInt({ min: 50, max: 600_000 })
  TERMINAL_OFFLINE_SWEEP_MS = 5000;

  /** Changes a terminal gets per /terminal/sync page at most. */
  @EnvInt({ min: 1, max: 5000 })
  SYNC_PAGE_SIZE = 500;

  /** Failed deliveries after which a callback becomes a dead letter (then the device's next one goes). */
  @EnvInt({ min: 1, max: 1000 })
  CALLBACK_MAX_ATTEMPTS = 16;

  /** Wait after a callback's first failure; doubled per failure up to CALLBACK_RETRY_MAX_MS. */
  @EnvInt({ min: 10, max: 3_600_000 })
  CALLBACK_RETRY_BASE_MS = 1000;

  @EnvInt({ min: 10, max: 86_400_000 })
  CALLBACK_RETRY_MAX_MS = 300_000;

  /** One delivery attempt: connect, send, read the answer. */
  @EnvInt({ min: 100, max: 120_000 })
  CALLBACK_TIMEOUT_MS = 10_000;

  /**
   * Devices whose callbacks one replica delivers at once. Each lane holds one of the DB_POOL_SIZE
   * connections while it delivers, so at most DB_POOL_SIZE - 2 (requests need the rest). Unset:
   * half the pool, at most 2 (callbackLanes()).
   */
  @IsOptional()
  @EnvInt({ min: 1, max: 64 })
  @ValidateBy({
    name: 'lanesBelowPool',
    validator: { validate: (lanes: unknown, args) => typeof lanes !== 'number' || lanes <= (args?.object as BaseConfig).DB_POOL_SIZE - 2 },
  }, { message: 'CALLBACK_LANES must be at most DB_POOL_SIZE - 2 (each lane holds a database connection while it delivers)' })
  CALLBACK_LANES?: number;

  /** Devices one lane claims per round (their callbacks go out side by side, each device's in order). */
  @EnvInt({ min: 1, max: 1000 })
  CALLBACK_DEVICES_PER_ROUND = 32;

  /** Callbacks a round sends per device at most before committing (and handing the device on). */
  @EnvInt({ min: 1, max: 1000 })
  CALLBACK_BATCH = 50;

  /** A lane's pause after a round with work, so callbacks queued meanwhile go out together. */
  @EnvInt({ min: 0, max: 1000 })
  CALLBACK_GATHER_MS = 20;

  /** How often an idle replica looks for callbacks another replica queued. */
  @EnvInt({ min: 10, max: 60_000 })
  CALLBACK_POLL_MS = 250;

  /** Days delivered callbacks are kept (for /admin/callbacks); 0 keeps them. */
  @EnvInt({ min: 0, max: 3650 })
  CALLBACK_RETENTION_DAYS = 7;

  /** Largest photo fetched for /person/photo, bytes. */
  @EnvInt({ min: 1024, max: 20 * 1024 * 1024 })
  PHOTO_MAX_BYTES = 2 * 1024 * 1024;

  /** Time allowed to fetch a photo, ms. */
  @EnvInt({ min: 100, max: 120_000 })
  PHOTO_TIMEOUT_MS = 10_000;

  /** Recognition records written per transaction at most (they are grouped while one is written). */
  @EnvInt({ min: 1, max: 5000 })
  IDENTIFY_MAX_BATCH = 500;

  /**
   * Groups of records written at once (each on its own connection; more groups are gathered
   * meanwhile). One makes the fewest, largest groups: under load the statements per record (and
   * the CPU they cost) fell by half against three, for no lower throughput.
   */
  @EnvInt({ min: 1, max: 32 })
  IDENTIFY_WRITERS = 1;

  /** Records waiting to be written beyond which uploads are refused for a moment (database away). */
  @EnvInt({ min: 1, max: 1_000_000 })
  IDENTIFY_MAX_PENDING = 20_000;

  /** The lanes in use: CALLBACK_LANES, or half the pool (at most 2). */
  callbackLanes(): number {
    return this.CALLBACK_LANES ?? Math.max(1, Math.min(2, Math.floor(this.DB_POOL_SIZE / 2)));
  }
}
