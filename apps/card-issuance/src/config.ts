import { IsIn, Matches, Validate, ValidateIf, ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { Sm4MacFold, SM4_MAC_FOLDS } from '@onecard/apdu';
import { BaseConfig, EnvInt, HEX_KEY_LIST } from '@onecard/kernel';
import { parseCardMasterKeys } from './card-keys/card-master-keys';

@ValidatorConstraint({ name: 'cardMasterKeys' })
class CardMasterKeysRule implements ValidatorConstraintInterface {
  private problem = '';
  validate(value: unknown, args?: ValidationArguments): boolean {
    const algorithm = (args?.object as CardIssuanceConfig | undefined)?.CARD_ALGORITHM ?? '3DES';
    try {
      parseCardMasterKeys(String(value ?? ''), algorithm);
      return true;
    } catch (error) {
      this.problem = (error as Error).message;
      return false;
    }
  }
  defaultMessage(): string {
    // Never echoes the value: it holds keys.
    return `CARD_MASTER_KEYS ${this.problem}`;
  }
}

/** card-issuance's environment: the platform's variables plus its own. */
export class CardIssuanceConfig extends BaseConfig {
  /**
   * AES-256 key (64 hex digits) sealing kiosk secrets at rest, or a comma-separated list of them,
   * newest first, to rotate: values are sealed with the first and opened with whichever sealed
   * them; at start-up what an older listed key sealed is re-sealed with the first, and keys that
   * cannot open the machine table stop start-up. Required in production; elsewhere a development
   * key derived from ADMIN_TOKEN (kernel keyOrDevelopmentKey).
   */
  @ValidateIf((c: CardIssuanceConfig) => c.NODE_ENV === 'production' || c.MACHINE_SECRET_KEY !== undefined)
  @Matches(HEX_KEY_LIST, { message: 'MACHINE_SECRET_KEY must be 64 hex digits (a 32-byte key), or a comma-separated list of such keys, newest first; required in production' })
  MACHINE_SECRET_KEY?: string;

  /**
   * HMAC-SHA256 key (64 hex digits) of pickup codes at rest, or a comma-separated list, newest
   * first, to rotate: new codes are hashed under the first, a code hashed under an older listed
   * key still matches and is re-hashed under the first when redeemed. Kept out of the database, so
   * a copy of card_order alone cannot try the million codes. Start-up stops when a code that can
   * still be redeemed names a key not listed. Required in production; elsewhere a development key
   * derived from ADMIN_TOKEN.
   */
  @ValidateIf((c: CardIssuanceConfig) => c.NODE_ENV === 'production' || c.PICKUP_CODE_KEY !== undefined)
  @Matches(HEX_KEY_LIST, { message: 'PICKUP_CODE_KEY must be 64 hex digits (a 32-byte key), or a comma-separated list of such keys, newest first; required in production' })
  PICKUP_CODE_KEY?: string;

  /** Card cipher suite written to new cards. */
  @IsIn(['3DES', 'SM4'], { message: 'CARD_ALGORITHM must be 3DES or SM4' })
  CARD_ALGORITHM: '3DES' | 'SM4' = '3DES';

  /**
   * SM4 cards: whether their COS folds the SM4 CBC-MAC block (left 8 XOR right 8) before taking the
   * 4 MAC bytes, or takes them from the block as it is ('none'). Sources disagree, so it is set
   * per deployment once confirmed against its cards; read for new sessions only.
   */
  @IsIn(SM4_MAC_FOLDS, { message: `CARD_SM4_MAC_FOLD must be ${SM4_MAC_FOLDS.join(' or ')}` })
  CARD_SM4_MAC_FOLD: Sm4MacFold = 'xor-halves';

  /**
   * One master key per project, diversified per card uid: `projectId:hex,projectId:hex` or a
   * JSON object `{"projectId":"hex"}`; 16 bytes (3DES may use 24). Required in production.
   */
  @ValidateIf((c: CardIssuanceConfig) => c.NODE_ENV === 'production' || c.CARD_MASTER_KEYS !== undefined)
  @Validate(CardMasterKeysRule)
  CARD_MASTER_KEYS?: string;

  /** Years a new card is valid from its issue date. */
  @EnvInt({ min: 1, max: 50 })
  CARD_VALIDITY_YEARS = 5;

  /** Hours a pickup code stays valid (7 days). */
  @EnvInt({ min: 1, max: 24 * 365 })
  PICKUP_CODE_TTL_HOURS = 168;

  /** Wrong pickup codes in a row that lock a phone number. */
  @EnvInt({ min: 1, max: 100 })
  PICKUP_MAX_FAILURES = 5;

  /** Minutes a locked phone number stays locked (operators can unlock sooner). */
  @EnvInt({ min: 1, max: 7 * 24 * 60 })
  PICKUP_LOCK_MINUTES = 30;

  /**
   * Seconds without a report after which a running personalisation session is closed as EXPIRED
   * (a card answers in tens of milliseconds; a kiosk silent this long has gone away mid-card).
   */
  @EnvInt({ min: 1, max: 24 * 3600 })
  PERSONALISATION_IDLE_SECONDS = 600;

  /** Largest accepted difference between X-Timestamp and the server clock. */
  @EnvInt({ min: 1000, max: 3_600_000 })
  SIGNATURE_MAX_SKEW_MS = 300_000;

  /** How long a replica keeps a kiosk's secret and status in memory (a cache of the database). */
  @EnvInt({ min: 0, max: 600_000 })
  MACHINE_CACHE_MS = 5000;

  /** A kiosk is online while it made a signed call within this many seconds (/admin/machines, machine.status-changed). */
  @EnvInt({ min: 10, max: 86_400 })
  KIOSK_OFFLINE_AFTER_S = 300;

  /**
   * How often each replica looks for kiosks that fell silent, to publish their `offline`
   * (machine.status-changed): the event comes at most this late. One indexed UPDATE over the online.
   */
  @EnvInt({ min: 50, max: 600_000 })
  KIOSK_OFFLINE_SWEEP_MS = 5000;

  /** Low-stock threshold a new machine gets for each consumable. */
  @EnvInt({ min: 0, max: 1_000_000 })
  DEFAULT_STOCK_THRESHOLD = 20;
}
