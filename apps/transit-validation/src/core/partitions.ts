import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The time-partitioned history tables (declared PARTITION BY RANGE in the migrations). */
export const PARTITIONED_TABLES = ['location_report', 'card_check', 'card_check_log', 'ticket_check', 'qrcode_log'] as const;

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
 * Also drops single-use QR ticket records once their ticket can no longer be accepted anyway.
 */
@Injectable()
export class PartitionMaintainer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('partitions');
  private timer?: NodeJS.Timeout;

  constructor(private readonly db: DataSource) {}

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
        const next = new Date(day.getTime() + 86_400_000);
        await this.db
          .query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${table} FOR VALUES FROM ('${day.toISOString()}') TO ('${next.toISOString()}')`)
          .catch((error: Error) => {
            // Another replica made it, or rows of that day already sit in the default partition.
            this.logger.warn(`partition ${name}: ${error.message}`);
          });
      }
    }
    await this.db.query(`DELETE FROM qr_ticket_use WHERE expires_at < now() - interval '1 day'`).catch(() => undefined);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
