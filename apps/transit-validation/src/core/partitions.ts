import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { unboundedTransaction } from '@onecard/platform';
import { TransitValidationConfig } from '../config';

/** The time-partitioned history tables (declared PARTITION BY RANGE in the migrations). */
export const PARTITIONED_TABLES = ['location_report', 'card_check', 'card_check_log', 'ticket_check', 'qrcode_log'] as const;

/** Each table's partition key (its RANGE column). */
const PARTITION_KEYS: Record<(typeof PARTITIONED_TABLES)[number], string> = {
  location_report: 'received_at',
  card_check: 'checked_at',
  card_check_log: 'checked_at',
  ticket_check: 'checked_at',
  qrcode_log: 'scanned_at',
};

/** Daily partitions kept ahead: yesterday … today + AHEAD_DAYS (UTC days). */
const AHEAD_DAYS = 3;

export function partitionName(table: string, day: Date): string {
  return `${table}_p${day.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** UTC midnights from `from` days before today to `to` days after. */
export function partitionDays(now: Date, from: number, to: number): Date[] {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const days: Date[] = [];
  for (let d = -from; d <= to; d++) days.push(new Date(midnight + d * 86_400_000));
  return days;
}

/**
 * Keeps one partition per UTC day for every history table, created ahead of time (at start-up
 * and hourly), so rows land in their day and old days can be detached or dropped whole
 * (`ALTER TABLE location_report DETACH PARTITION location_report_p20240101`). Rows outside the
 * prepared days (an offline log from last month) land in the table's DEFAULT partition.
 * Drops days older than the configured retention, and single-use QR ticket records
 * TRANSIT_QR_USE_RETENTION_DAYS after their ticket expired.
 */
@Injectable()
export class PartitionMaintainer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('partitions');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly config: TransitValidationConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run().catch(() => undefined), 3_600_000);
    this.timer.unref();
  }

  async run(now = new Date()): Promise<void> {
    const days = partitionDays(now, 1, AHEAD_DAYS);
    const existing = new Set<string>(
      (await this.db.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace WHERE n.nspname = current_schema() AND p.relname = ANY($1)`, [PARTITIONED_TABLES])).map(
        (r: { relname: string }) => r.relname,
      ),
    );
    for (const table of PARTITIONED_TABLES) {
      for (const day of days) {
        const name = partitionName(table, day);
        if (existing.has(name)) continue;
        await this.create(table, name, day).catch((error: Error) => {
          // Another replica made it at the same moment; otherwise say so and try again next hour.
          this.logger.warn(`partition ${name}: ${error.message}`);
        });
      }
    }
    await this.dropExpired(now, existing);
    // Kept long enough that an offline log uploaded late still finds the ticket's first use.
    await unboundedTransaction(this.db, (m) => m.query(`DELETE FROM qr_ticket_use WHERE expires_at < now() - $1 * interval '1 day'`, [this.config.TRANSIT_QR_USE_RETENTION_DAYS])).catch(
      () => undefined,
    );
  }

  /**
   * Drops the days of history older than their retention (TRANSIT_POSITION_RETENTION_DAYS,
   * TRANSIT_CHECK_RETENTION_DAYS): whole partitions, and the DEFAULT partition's rows of those
   * days. A lock wait is cut short so traffic is not held up; the next hourly run tries again.
   */
  private async dropExpired(now: Date, existing: Set<string>): Promise<void> {
    for (const table of PARTITIONED_TABLES) {
      const days = table === 'location_report' ? this.config.TRANSIT_POSITION_RETENTION_DAYS : this.config.TRANSIT_CHECK_RETENTION_DAYS;
      if (days === 0) continue;
      const [today] = partitionDays(now, 0, 0);
      const cutoff = new Date(today.getTime() - days * 86_400_000);
      const expired = [...existing].filter((name) => {
        const m = new RegExp(`^${table}_p(\\d{4})(\\d{2})(\\d{2})$`).exec(name);
        return m !== null && Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) < cutoff.getTime();
      });
      try {
        // A day of history may take longer to delete than a request's statement may (DB_STATEMENT_TIMEOUT_MS).
        await unboundedTransaction(this.db, async (m) => {
          await m.query(`SET LOCAL lock_timeout = '2s'`);
          for (const name of expired) await m.query(`DROP TABLE IF EXISTS ${name}`);
          await m.query(`DELETE FROM ${table}_default WHERE ${PARTITION_KEYS[table]} < $1`, [cutoff.toISOString()]);
        });
        if (expired.length > 0) this.logger.log(`${table}: dropped ${expired.length} day(s) of history older than ${days} day(s)`);
      } catch (error) {
        this.logger.warn(`${table}: expired history not dropped this time: ${(error as Error).message}`);
      }
    }
  }

  /**
   * One day's partition. When rows of that day already sit in the DEFAULT partition (a device
   * whose clock ran days ahead), Postgres refuses the plain CREATE … PARTITION OF; then the
   * partition is built beside the table, those rows are moved into it and it is attached, all
   * in one transaction.
   */
  private async create(table: (typeof PARTITIONED_TABLES)[number], name: string, day: Date): Promise<void> {
    const from = day.toISOString();
    const to = new Date(day.getTime() + 86_400_000).toISOString();
    const key = PARTITION_KEYS[table];
    const [{ stray }] = await this.db.query(`SELECT EXISTS (SELECT 1 FROM ${table}_default WHERE ${key} >= $1 AND ${key} < $2) AS stray`, [from, to]);
    if (!stray) {
      await this.db.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${table} FOR VALUES FROM ('${from}') TO ('${to}')`);
      return;
    }
    await unboundedTransaction(this.db, async (m) => {
      await m.query(`LOCK TABLE ${table}_default IN SHARE ROW EXCLUSIVE MODE`);
      await m.query(`CREATE TABLE ${name} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      const moved = await m.query(`WITH moved AS (DELETE FROM ${table}_default WHERE ${key} >= $1 AND ${key} < $2 RETURNING *) INSERT INTO ${name} SELECT * FROM moved`, [from, to]);
      await m.query(`ALTER TABLE ${table} ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`);
      this.logger.log(`partition ${name}: created, ${Array.isArray(moved) ? moved.length : 0} early rows moved in from ${table}_default`);
    });
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
