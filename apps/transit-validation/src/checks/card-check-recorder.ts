import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CheckOutcome, Events } from '@onecard/contracts';
import { MetricsRegistry, Outbox } from '@onecard/platform';
import { TransitValidationConfig } from '../config';
import { BatchWriter } from '../core/batch-writer';

export interface CardCheckRow {
  deviceId: string;
  lineId: string;
  cardId: string;
  checkedAt: Date;
  receivedAt: Date;
  checkMode: number;
  outcome: CheckOutcome;
  retCode: number;
  lng?: number;
  lat?: number;
}

/**
 * Online card checks are answered from memory and recorded in batches (see BatchWriter for the
 * durability trade-off): one transaction per flush inserts the rows into `card_check` and their
 * `card.checked` events into the outbox with one statement each.
 */
@Injectable()
export class CardCheckRecorder implements BeforeApplicationShutdown {
  readonly writer: BatchWriter<CardCheckRow>;

  constructor(db: DataSource, outbox: Outbox, config: TransitValidationConfig, metrics: MetricsRegistry) {
    this.writer = new BatchWriter<CardCheckRow>({
      name: 'card-checks',
      flushMs: config.TRANSIT_HEARTBEAT_FLUSH_MS,
      maxBatch: config.TRANSIT_HEARTBEAT_BATCH,
      maxPending: config.TRANSIT_MAX_PENDING_ROWS,
      write: (rows) =>
        db.transaction(async (manager) => {
          await manager.query(
            `INSERT INTO card_check (device_id, line_id, card_id, checked_at, received_at, check_mode, outcome, ret_code, lng, lat)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::smallint[], $7::text[], $8::int[], $9::float8[], $10::float8[])`,
            [
              rows.map((r) => r.deviceId), rows.map((r) => r.lineId), rows.map((r) => r.cardId), rows.map((r) => r.checkedAt), rows.map((r) => r.receivedAt),
              rows.map((r) => r.checkMode), rows.map((r) => r.outcome), rows.map((r) => r.retCode), rows.map((r) => r.lng ?? null), rows.map((r) => r.lat ?? null),
            ],
          );
          await outbox.addMany(
            manager,
            Events.CardChecked,
            rows.map((r) => ({ deviceId: r.deviceId, lineId: r.lineId, cardId: r.cardId, mode: 'online' as const, outcome: r.outcome, checkedAt: r.checkedAt.toISOString() })),
          );
        }),
    });
    const writer = this.writer;
    metrics.gauge('transit_card_checks_pending', 'Online card checks answered, not yet written', function () {
      this.set(writer.pending);
    });
  }

  add(row: CardCheckRow): Promise<void> {
    return this.writer.add(row);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.writer.drain();
  }
}
