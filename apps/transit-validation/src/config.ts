import { Matches, Validate, ValidateIf, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { BaseConfig, EnvInt, HEX_KEY_LIST } from '@onecard/kernel';
import { parseSoundNumbers } from './checks/check-outcome';

@ValidatorConstraint({ name: 'soundNumbers' })
class SoundNumbersRule implements ValidatorConstraintInterface {
  private problem = '';
  validate(value: unknown): boolean {
    try {
      parseSoundNumbers(String(value));
      return true;
    } catch (error) {
      this.problem = (error as Error).message;
      return false;
    }
  }
  defaultMessage(): string {
    return `TRANSIT_SOUND_NOS: ${this.problem}`;
  }
}

/** transit-validation's environment: the platform's variables plus its own. */
export class TransitValidationConfig extends BaseConfig {
  /**
   * The document's `xxxx/` prefix in front of every validator call (`/location_report` …),
   * e.g. `/api/validator`. Empty by default. Operator (`/admin`), health and docs paths are not
   * prefixed.
   */
  @Matches(/^(\/[A-Za-z0-9._~-]+)*$/, { message: 'TRANSIT_BASE_PATH must be empty or a path like /api/validator (no trailing slash)' })
  TRANSIT_BASE_PATH = '';

  /**
   * 32-byte hex key sealing device secrets and QR private keys (AES-256-GCM), or a comma-separated
   * list of them, newest first, to rotate: values are sealed with the first and opened with
   * whichever sealed them; at start-up what an older listed key sealed is re-sealed with the
   * first, and keys that cannot open what the schema holds stop start-up. Required in
   * production; elsewhere a development key is derived from ADMIN_TOKEN (with a warning).
   */
  @ValidateIf((c: TransitValidationConfig) => c.NODE_ENV === 'production' || c.TRANSIT_SECRET_KEY !== undefined)
  @Matches(HEX_KEY_LIST, { message: 'TRANSIT_SECRET_KEY must be 64 hex characters (32 bytes), or a comma-separated list of such keys, newest first; it is required in production' })
  TRANSIT_SECRET_KEY?: string;

  /**
   * Key signing device tokens (HMAC-SHA256), shared by every replica so a token issued by one is
   * accepted by all; or a comma-separated list, newest first, to rotate: tokens are signed with
   * the first and accepted under any (a key may not hold a comma). Required in production;
   * derived from ADMIN_TOKEN elsewhere.
   */
  @ValidateIf((c: TransitValidationConfig) => c.NODE_ENV === 'production' || c.TRANSIT_TOKEN_KEY !== undefined)
  @Matches(/^[^,]{32,256}(,[^,]{32,256})*$/, { message: 'TRANSIT_TOKEN_KEY must be 32 to 256 characters, or a comma-separated list of such keys (none holding a comma), newest first; it is required in production' })
  TRANSIT_TOKEN_KEY?: string;

  /** Lifetime of a device token from /get_token, seconds. */
  @EnvInt({ min: 60, max: 7 * 24 * 3600 })
  TRANSIT_TOKEN_TTL_S = 7200;

  /** How far a /get_token timestamp may be from the server clock, seconds. */
  @EnvInt({ min: 10, max: 3600 })
  TRANSIT_TOKEN_SKEW_S = 300;

  /**
   * Heartbeat interval validators are told in every location_report answer (`report_interval`,
   * seconds: the document's "间隔5s(可动态修改)") unless an operator set one for the device or its
   * line; also what "online" is judged by (a heartbeat within 3 intervals, at least 15 s).
   */
  @EnvInt({ min: 1, max: 3600 })
  TRANSIT_REPORT_INTERVAL_S = 5;

  /**
   * A validator is online while its last heartbeat is within this many of the intervals it is
   * told (its own, its line's, TRANSIT_REPORT_INTERVAL_S) …
   */
  @EnvInt({ min: 1, max: 100 })
  TRANSIT_OFFLINE_AFTER_HEARTBEATS = 3;

  /** … and at least this many seconds. /admin/devices shows `online` by this rule, and device.status-changed publishes its changes. */
  @EnvInt({ min: 1, max: 86_400 })
  TRANSIT_OFFLINE_MIN_S = 15;

  /**
   * How often each replica looks for validators that fell silent, to publish their `offline`
   * (device.status-changed): the event comes at most this late. One UPDATE over `device_status`.
   */
  @EnvInt({ min: 50, max: 600_000 })
  TRANSIT_OFFLINE_SWEEP_MS = 5000;

  /** Heartbeats are written in batches: at most every this many ms … */
  @EnvInt({ min: 5, max: 5000 })
  TRANSIT_HEARTBEAT_FLUSH_MS = 50;

  /** … or as soon as this many rows wait. */
  @EnvInt({ min: 1, max: 20000 })
  TRANSIT_HEARTBEAT_BATCH = 2000;

  /**
   * Rows held in memory while the database is slow or away; beyond this, heartbeats and checks
   * are refused with a ret_code (the validator retries) instead of being dropped silently.
   */
  @EnvInt({ min: 100, max: 1_000_000 })
  TRANSIT_MAX_PENDING_ROWS = 100_000;

  /** Default validity of a rider's QR code, seconds (POST /admin/qrcode/issue may ask for another). */
  @EnvInt({ min: 1, max: 86400 })
  TRANSIT_QR_TTL_S = 120;

  /** How long the previous QR key group stays valid after a rotation, seconds. */
  @EnvInt({ min: 0, max: 30 * 86400 })
  TRANSIT_QR_GRACE_S = 3600;

  /**
   * Days a QR ticket's first use is remembered after the ticket expired: an offline log uploaded
   * later than this can no longer be told from a replay on another bus.
   */
  @EnvInt({ min: 1, max: 3650 })
  TRANSIT_QR_USE_RETENTION_DAYS = 30;

  /**
   * Days of position history (location_report) kept besides today; older days' partitions are
   * dropped hourly. 0 keeps every day. Heartbeats are the bulk of the database.
   */
  @EnvInt({ min: 0, max: 36500 })
  TRANSIT_POSITION_RETENTION_DAYS = 0;

  /** Days of check and log history (card_check, card_check_log, ticket_check, qrcode_log) kept; 0 keeps every day. */
  @EnvInt({ min: 0, max: 36500 })
  TRANSIT_CHECK_RETENTION_DAYS = 0;

  /** Voice package per refusal, `outcome:number,…` (see checks/check-outcome.ts); unset: the defaults. */
  @ValidateIf((c: TransitValidationConfig) => c.TRANSIT_SOUND_NOS !== undefined)
  @Validate(SoundNumbersRule)
  TRANSIT_SOUND_NOS?: string;

  /** Keys in a QR key group (codes are signed with one of them, picked at random). */
  @EnvInt({ min: 1, max: 16 })
  TRANSIT_QR_KEYS_PER_GROUP = 4;

  /**
   * Largest body of POST /admin/cards/import (text/csv, streamed into Postgres, never held whole),
   * bytes; BODY_LIMIT applies to every other call. 256 MiB is several million cards.
   */
  @EnvInt({ min: 1024, max: 2 ** 31 - 1 })
  TRANSIT_CARD_IMPORT_MAX_BYTES = 256 * 1024 * 1024;

  /** Full and incremental lists streamed at the same time; more wait their turn. */
  @EnvInt({ min: 1, max: 100 })
  TRANSIT_LIST_STREAMS = 4;
}
