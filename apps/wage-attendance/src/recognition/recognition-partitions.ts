import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** `recognition_p202406` for June 2024 (UTC). */
export function partitionName(month: Date): string {
  return `recognition_p${month.toISOString().slice(0, 7).replace('-', '')}`;
}

/** First instants (UTC) of the months from `before` months ago to `ahead` months on. */
export function partitionMonths(now: Date, before: number, ahead: number): Date[] {
  const months: Date[] = [];
  for (let m = -before; m <= ahead; m++) months.push(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + m, 1)));
  return months;
}

/**
 * Keeps one recognition partition per UTC month, made ahead (at start-up and every 6 hours), so
 * old months can be detached or dropped whole (`ALTER TABLE recognition DETACH PARTITION
 * recognition_p202401`). Records outside the prepared months (a terminal's clock far off) land
 * in recognition_default; a month made later moves its early rows in from there.
 */
@Injectable()
export class RecognitionPartitions implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('partitions');
  private timer?: NodeJS.Timeout;

  constructor(private readonly db: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run().catch(() => undefined), 6 * 3_600_000);
    this.timer.unref();
  }

  async run(now = new Date()): Promise<void> {
    const existing = new Set<string>(
      (
        await this.db.query(
          `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
            JOIN pg_namespace n ON n.oid = p.relnamespace WHERE n.nspname = current_schema() AND p.relname = 'recognition'`,
        )
      ).map((r: { relname: string }) => r.relname),
    );
    for (const month of partitionMonths(now, 1, 2)) {
      const name = partitionName(month);
      if (existing.has(name)) continue;
      // Another replica may make it at the same moment; then the next run finds it.
      await this.create(name, month).catch((error: Error) => this.logger.warn(`partition ${name}: ${error.message}`));
    }
  }

  private async create(name: string, month: Date): Promise<void> {
    const from = month.toISOString();
    const to = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1)).toISOString();
    await this.db.transaction(async (m) => {
      await m.query(`LOCK TABLE recognition_default IN SHARE ROW EXCLUSIVE MODE`);
      const [{ stray }] = await m.query(`SELECT EXISTS (SELECT 1 FROM recognition_default WHERE show_time >= $1 AND show_time < $2) AS stray`, [from, to]);
      if (!stray) {
        await m.query(`CREATE TABLE ${name} PARTITION OF recognition FOR VALUES FROM ('${from}') TO ('${to}')`);
        return;
      }
      await m.query(`CREATE TABLE ${name} (LIKE recognition INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      await m.query(`WITH moved AS (DELETE FROM recognition_default WHERE show_time >= $1 AND show_time < $2 RETURNING *) INSERT INTO ${name} SELECT * FROM moved`, [from, to]);
      await m.query(`ALTER TABLE recognition ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`);
      this.logger.log(`partition ${name}: made, early records moved in from recognition_default`);
    });
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
