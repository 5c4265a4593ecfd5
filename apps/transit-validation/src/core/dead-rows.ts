import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdminKeysetPage, formatWireTime, keysetPage, KeysetWindow } from '@onecard/platform';
import { TransitValidationConfig } from '../config';

/** A row a batched writer set aside, as /admin shows it. */
export interface DeadRowView {
  id: string;
  writer: string;
  reason: string;
  /** The row as the writer had it (device, times as epoch ms, fields as reported). */
  row: unknown;
  failed_time: string;
}

/** Rows Postgres refused for their data, kept with the reason (`dead_row`), so their batch could be stored without them. */
@Injectable()
export class DeadRows {
  constructor(
    private readonly db: DataSource,
    private readonly config: TransitValidationConfig,
  ) {}

  /**
   * Stores `rows` as JSON text: JSON.stringify escapes NUL and lone surrogates (`\ud800`), so
   * the text itself is always storable even when the row's values were not.
   */
  async bury(writer: string, rows: readonly unknown[], reason: string): Promise<void> {
    await this.db.query(`INSERT INTO dead_row (writer, reason, row_json) SELECT $1, $2, unnest($3::text[])`, [writer, reason, rows.map((r) => JSON.stringify(r))]);
  }

  /** Newest first, a keyset page, optionally of one writer. */
  async list(writer: string | undefined, window: KeysetWindow): Promise<AdminKeysetPage<DeadRowView>> {
    const rows: Array<{ id: string; writer: string; reason: string; row_json: string; failed_at: Date }> = await this.db.query(
      `SELECT id::text, writer, reason, row_json, failed_at FROM dead_row
        WHERE ($1::text IS NULL OR writer = $1) AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [writer ?? null, window.cursor, window.fetch],
    );
    const views = rows.map((r) => ({
      id: r.id,
      writer: r.writer,
      reason: r.reason,
      row: JSON.parse(r.row_json) as unknown,
      failed_time: formatWireTime(new Date(r.failed_at), 'yyyy-MM-dd HH:mm:ss', this.config.WIRE_TIME_ZONE),
    }));
    return keysetPage(window, views, (v) => v.id);
  }
}
