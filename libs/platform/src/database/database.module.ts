import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { BaseConfig, OneCardAppDefinition } from '@onecard/kernel';
import { MESSAGING_MIGRATIONS } from '@onecard/messaging';
import { checkSealedData } from '../security/sealed-data-check';
import { SealingKeys } from '../security/sealing-keys';
import { appPgClient, SILENT_SERVER_GRACE_MS } from './app-pg-client';
import { ensureSchema } from './ensure-schema';
import { PLATFORM_MIGRATIONS } from './migrations';

/**
 * TypeORM options pinned to the app's one schema; migrations run at start-up (migrateExclusively), never synchronize.
 * Every wait is bounded (DB_CONNECT_TIMEOUT_MS, DB_STATEMENT_TIMEOUT_MS): with Postgres away a call
 * fails as unavailable in seconds rather than holding its connection for the outage. `bounded:
 * false` is for migrations, whose statements may rightly run long.
 */
export function dataSourceOptions(definition: OneCardAppDefinition, config: BaseConfig, { bounded = true }: { bounded?: boolean } = {}): PostgresConnectionOptions {
  const schema = config.DB_SCHEMA ?? definition.defaultSchema;
  const statementMs = bounded ? (config.DB_STATEMENT_TIMEOUT_MS ?? 0) : 0;
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    schema,
    synchronize: false,
    // Run at start-up by migrateExclusively (under a lock, for replicas starting together).
    migrationsRun: false,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    migrations: [...MESSAGING_MIGRATIONS, ...PLATFORM_MIGRATIONS, ...definition.migrations],
    // TypeORM's own logging prints SQL parameters (ID numbers, phones) to stdout: off; failures surface as app errors.
    logging: false,
    extra: {
      max: config.DB_POOL_SIZE,
      // Unqualified names in SQL and migrations resolve to this app's schema only.
      options: `-c search_path=${schema}`,
      connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS ?? 5000,
      application_name: definition.name,
      keepAlive: true,
      ...(statementMs > 0 ? { statement_timeout: statementMs } : {}),
      Client: appPgClient(statementMs > 0 ? statementMs + SILENT_SERVER_GRACE_MS : 0),
    },
  };
}

/**
 * Runs the pending migrations holding a Postgres advisory lock on the schema, so replicas
 * starting together migrate one after the other (the later ones find nothing left to run)
 * instead of racing to create the same tables.
 */
export async function migrateExclusively(db: DataSource, schema: string): Promise<void> {
  const runner = db.createQueryRunner();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [`onecard-migrations:${schema}`]);
    try {
      await db.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`onecard-migrations:${schema}`]);
    }
  } finally {
    await runner.release();
  }
}

@Module({})
export class DatabaseModule {
  /** `sealingKeys`: checked against the schema once migrated, before any feature starts (sealed-data-check.ts). */
  static forApp(definition: OneCardAppDefinition, config: BaseConfig, sealingKeys: SealingKeys): DynamicModule {
    const options = dataSourceOptions(definition, config);
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          // No retries (ensureSchema waits for a starting database), and no "Unable to connect to the
          // database" line from @nestjs/typeorm before a start-up error that is not about connecting.
          useFactory: () => ({ ...options, autoLoadEntities: true, retryAttempts: 0, toRetry: () => false }),
          dataSourceFactory: async (opts) => {
            await ensureSchema(config.DATABASE_URL, options.schema as string);
            const db = await new DataSource(opts as DataSourceOptions).initialize();
            try {
              // On a pool of their own without the statement bound, closed when done (two: the lock's and the migrations').
              const migrations = await new DataSource(dataSourceOptions(definition, { ...config, DB_POOL_SIZE: 2 }, { bounded: false })).initialize();
              try {
                await migrateExclusively(migrations, options.schema as string);
              } finally {
                await migrations.destroy().catch(() => undefined);
              }
              await checkSealedData(db, options.schema as string, sealingKeys);
            } catch (error) {
              // Start-up fails; the pool must not keep the process alive.
              await db.destroy().catch(() => undefined);
              throw error;
            }
            return db;
          },
        }),
      ],
    };
  }
}
