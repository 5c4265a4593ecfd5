import type { Type } from '@nestjs/common';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { AppName } from '@onecard/contracts';
import type { BaseConfig } from '../config';
import type { WireEnvelope } from '../wire/envelope';

/** A column of the app's schema holding values sealed with a SecretBox. */
export interface SealedColumn {
  table: string;
  column: string;
  /** What one value is, for operators' messages: 'device secret', 'QR private key'. */
  what: string;
}

/**
 * A key setting of the app's config sealing values at rest (a comma-separated list, newest
 * first), and the columns holding them. At start-up the platform refuses keys that cannot open
 * what is sealed, re-seals values sealed with an older listed key, and records the key's
 * fingerprint in the schema's `sealing_key` table.
 */
export interface SealingKeySetting {
  /** The config class's variable holding the key list. */
  variable: string;
  sealed: readonly SealedColumn[];
}

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
  /** The app's sealing key settings (see SealingKeySetting); their boxes come from the platform's SealingKeys. */
  sealing?: readonly SealingKeySetting[];
  /** What the app's HTTP ingress needs beyond the platform's (see OneCardHttpOptions). */
  http?: OneCardHttpOptions<C>;
}

/** An app's own HTTP settings, applied by the platform before any route is registered. */
export interface OneCardHttpOptions<C extends BaseConfig = BaseConfig> {
  /** Fastify server options over the platform's (`bodyLimit` from BODY_LIMIT, `trustProxy`). */
  fastify?: Partial<FastifyServerOptions>;
  /**
   * Called once with the app's Fastify instance and config, before Nest registers a route and
   * before the server listens: `onRoute` hooks (a configured base path), extra content-type
   * parsers. Not for per-request work a guard, pipe or handler can do.
   */
  configure?(fastify: FastifyInstance, config: C): void;
}
