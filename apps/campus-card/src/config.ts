import { IsOptional, IsUrl, Matches, MaxLength, ValidateIf } from 'class-validator';
import { BaseConfig, EnvInt } from '@onecard/kernel';

/** campus-card's environment: the platform's variables plus its own. */
export class CampusCardConfig extends BaseConfig {
  /**
   * Key the payment system signs its notifications with (and we sign postData with):
   * sign = lowercase hex HMAC-SHA256(PAYMENT_SECRET, `id|amount|payTime|status`). Required in
   * production; elsewhere derived from ADMIN_TOKEN (kernel keyOrDevelopmentKey).
   */
  @ValidateIf((c: CampusCardConfig) => c.NODE_ENV === 'production' || c.PAYMENT_SECRET !== undefined)
  @Matches(/^.{32,256}$/, { message: 'PAYMENT_SECRET must be 32 to 256 characters; it is required in production' })
  PAYMENT_SECRET?: string;

  /** Where a cardholder's browser posts `postData` to pay (the payment system's page). */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'PAYMENT_POST_URL must be an http(s) URL' })
  PAYMENT_POST_URL = 'https://pay.example.edu.cn/payment/pay/pay.action';

  /** The payment system's ids for this campus (postData `sysid`, `subsysid`). */
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'PAYMENT_SYSID must be 1-32 of A-Z a-z 0-9 _ -' })
  PAYMENT_SYSID = '000';

  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'PAYMENT_SUBSYSID must be 1-32 of A-Z a-z 0-9 _ -' })
  PAYMENT_SUBSYSID = '111';

  /** Fee item the bill is booked under at the payment system (billinfo `feeitemid`). */
  @Matches(/^[A-Za-z0-9_-]{0,32}$/, { message: 'PAYMENT_FEE_ITEM_ID must be up to 32 of A-Z a-z 0-9 _ -' })
  PAYMENT_FEE_ITEM_ID = '';

  /** Page the payment system sends the cardholder back to (billinfo `returnURL`); may be empty. */
  @IsOptional() @MaxLength(512)
  PAYMENT_RETURN_URL = '';

  /** Minutes a recharge order may wait for payment (`expireTime`) before the sweep fails it. */
  @EnvInt({ min: 1, max: 7 * 24 * 60 })
  RECHARGE_PAY_MINUTES = 30;

  /** Largest recharge one order may ask for, whole yuan. */
  @EnvInt({ min: 1, max: 1_000_000 })
  RECHARGE_MAX_YUAN = 5000;

  /** Account fee charged on opening unless `free=true` (fen; 0: none). */
  @EnvInt({ min: 0, max: 100_000_000 })
  OPEN_ACCOUNT_FEE_FEN = 0;

  /** OAuth2 lifetimes, seconds: authorization code (single use), access token, refresh token. */
  @EnvInt({ min: 10, max: 600 })
  OAUTH_CODE_SECONDS = 60;

  @EnvInt({ min: 60, max: 7 * 24 * 3600 })
  OAUTH_ACCESS_TOKEN_SECONDS = 7200;

  @EnvInt({ min: 60, max: 365 * 24 * 3600 })
  OAUTH_REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;

  /** Wrong query passwords in a row that lock a card's query password, and for how long. */
  @EnvInt({ min: 1, max: 100 })
  QUERY_PASSWORD_MAX_FAILURES = 5;

  @EnvInt({ min: 1, max: 7 * 24 * 60 })
  QUERY_PASSWORD_LOCK_MINUTES = 30;

  /** Wrong login passwords in a row (POST /oauth/authorize) that lock a cardholder's login, and for how long. */
  @EnvInt({ min: 1, max: 100 })
  LOGIN_MAX_FAILURES = 5;

  @EnvInt({ min: 1, max: 7 * 24 * 60 })
  LOGIN_LOCK_MINUTES = 15;

  /** Largest photo accepted, bytes of image (its base64 is a third larger; BODY_LIMIT must allow it). */
  @EnvInt({ min: 1024, max: 16 * 1024 * 1024 })
  PHOTO_MAX_BYTES = 512 * 1024;

  /** Seconds a photo download `url` stays valid. */
  @EnvInt({ min: 10, max: 7 * 24 * 3600 })
  PHOTO_URL_SECONDS = 600;

  /**
   * Base of the photo download `url`, e.g. https://api.example.edu.cn. Empty: the scheme and host
   * the request came in on (behind a proxy, its X-Forwarded-* headers).
   */
  @ValidateIf((c: CampusCardConfig) => c.PUBLIC_BASE_URL !== '')
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*[^\s/])?$/, { message: 'PUBLIC_BASE_URL must be empty or an http(s) URL without a trailing slash' })
  PUBLIC_BASE_URL = '';

  /**
   * Key signing photo download links (HMAC-SHA256). Required in production; derived from
   * ADMIN_TOKEN elsewhere.
   */
  @ValidateIf((c: CampusCardConfig) => c.NODE_ENV === 'production' || c.PHOTO_LINK_KEY !== undefined)
  @Matches(/^.{32,256}$/, { message: 'PHOTO_LINK_KEY must be 32 to 256 characters; it is required in production' })
  PHOTO_LINK_KEY?: string;

  /**
   * Most transactions answered without paging (limit 0 or absent); a wider range is refused,
   * asking for start/limit, rather than answered with a body of unbounded size.
   */
  @EnvInt({ min: 100, max: 100_000 })
  TRANSACTIONS_UNPAGED_MAX = 5000;

  /**
   * How long a replica may answer from an access token it looked up (oauth/token-cache.ts), ms;
   * a token revoked in another replica (refreshed, its client removed) stops working there within
   * this. 0: every call looks its token up.
   */
  @EnvInt({ min: 0, max: 60_000 })
  OAUTH_TOKEN_CACHE_MS = 2000;

  /**
   * Most payment notifications credited by one statement (one commit): those arriving while the
   * previous group is written gather into the next (payment-notify.service.ts). 1 writes each
   * alone.
   */
  @EnvInt({ min: 1, max: 1000 })
  PAYMENT_NOTIFY_MAX_GROUP = 200;
}
