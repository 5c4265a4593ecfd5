import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { EnvInt } from './env-int';

/**
 * Environment every app reads; an app extends it with its own variables. Validated once at
 * boot: a missing or malformed value names itself and stops start-up.
 */
export class BaseConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  /** HTTP port; each app brings its default (3001–3005). 0 picks a free port (tests). */
  @IsOptional() @EnvInt({ min: 0, max: 65535 })
  PORT?: number;

  @IsString()
  HOST = '0.0.0.0';

  @Matches(/^postgres(ql)?:\/\/[^\s/]+(:\d+)?\/[A-Za-z0-9_-]+(\?.*)?$/, {
    message: 'DATABASE_URL must be a postgres://user@host:port/database URL',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/onecard';

  /** The app's schema; each app brings its default (card_issuance …). */
  @IsOptional() @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DB_SCHEMA must be a lowercase Postgres identifier' })
  DB_SCHEMA?: string;

  @EnvInt({ min: 1, max: 200 })
  DB_POOL_SIZE = 10;

  /**
   * Longest wait for a database connection (a free one from the pool, or a new one). Past it the
   * call fails as unavailable instead of queueing for the length of an outage.
   */
  @EnvInt({ min: 100, max: 600_000 })
  DB_CONNECT_TIMEOUT_MS = 3000;

  /**
   * Longest a statement may run: Postgres cancels it then (`statement_timeout`), and a connection
   * whose server has not answered a second after that is given up (a paused or cut-off server).
   * Migrations and streamed lists are not bound by it. 0: no bound.
   */
  @EnvInt({ min: 0, max: 3_600_000 })
  DB_STATEMENT_TIMEOUT_MS = 5000;

  @Matches(/^(nats|tls):\/\/[^\s]+$/, { message: 'NATS_URL must be a nats://host:port URL (comma-separate a cluster)' })
  NATS_URL = 'nats://127.0.0.1:4222';

  /** JetStream stream holding every OneCard event. */
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'NATS_STREAM must be a JetStream stream name' })
  NATS_STREAM = 'ONECARD';

  /**
   * Copies of the events stream JetStream keeps, one per server (3 on a three-node cluster: one
   * server lost loses no event and stops nothing). The stream is created with it; an existing
   * stream with fewer is raised to it, one with more is left as it is (never lowered silently).
   * Above 1 needs a cluster of at least that many servers. Durable consumers follow the stream.
   */
  @EnvInt({ min: 1, max: 5 })
  NATS_STREAM_REPLICAS = 1;

  /** Prefix on every subject; empty in production, unique per test file so suites don't meet. */
  @Matches(/^([a-z0-9_-]+\.)?$/, { message: 'NATS_SUBJECT_PREFIX must be empty or one lowercase token ending with "."' })
  NATS_SUBJECT_PREFIX = '';

  /** Wait before an event whose handler failed is delivered again; it doubles with each failure. */
  @EnvInt({ min: 10, max: 3_600_000 })
  EVENT_RETRY_BASE_MS = 1000;

  /** The longest wait between two deliveries of a failing event. */
  @EnvInt({ min: 10, max: 86_400_000 })
  EVENT_RETRY_MAX_MS = 300_000;

  /**
   * How often the NATS connection pings the server; two unanswered pings mark it stale (health
   * turns 503 and the client reconnects), so a NATS that stops answering shows within three intervals.
   */
  @EnvInt({ min: 100, max: 120_000 })
  NATS_PING_INTERVAL_MS = 1000;

  /** Bearer token for /admin; no default, so a deployment cannot forget to set one. */
  @IsString()
  @MinLength(16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
  @MaxLength(256)
  ADMIN_TOKEN!: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Time zone of times on the wire. */
  @IsString()
  WIRE_TIME_ZONE = 'Asia/Shanghai';

  @EnvInt({ min: 10, max: 60000 })
  OUTBOX_POLL_MS = 500;

  /**
   * Processes serving this app on this host (Node's cluster module: one port, connections shared).
   * Each is a full replica (its own caches, pool and NATS connection), so a busy app can use more
   * than one core; 1 runs the app in this process.
   */
  @EnvInt({ min: 1, max: 64 })
  WORKERS = 1;

  /** Largest request body accepted, bytes. */
  @EnvInt({ min: 1024 })
  BODY_LIMIT = 1024 * 1024;

  /**
   * Deepest nesting of arrays/objects a request body may have (a flat JSON object is 1). Deeper
   * bodies are refused before anything walks them: validation recurses once per level.
   */
  @EnvInt({ min: 2, max: 1000 })
  BODY_MAX_DEPTH = 32;
}
