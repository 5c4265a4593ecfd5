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
          // A retried check (same device, card, device time and answer) is the same tap: stored and published once.
          const stored: StoredTap[] = await manager.query(
            `INSERT INTO card_check (device_id, line_id, card_id, checked_at, received_at, check_mode, outcome, ret_code, lng, lat)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::smallint[], $7::text[], $8::int[], $9::float8[], $10::float8[])
             ON CONFLICT DO NOTHING RETURNING device_id, card_id, checked_at, outcome`,
            [
              rows.map((r) => r.deviceId), rows.map((r) => r.lineId), rows.map((r) => r.cardId), rows.map((r) => r.checkedAt), rows.map((r) => r.receivedAt),
              rows.map((r) => r.checkMode), rows.map((r) => r.outcome), rows.map((r) => r.retCode), rows.map((r) => r.lng ?? null), rows.map((r) => r.lat ?? null),
            ],
          );
          await outbox.addMany(
            manager,
            Events.CardChecked,
            newTaps(rows, stored).map((r) => ({ deviceId: r.deviceId, lineId: r.lineId, cardId: r.cardId, mode: 'online' as const, outcome: r.outcome, checkedAt: r.checkedAt.toISOString() })),
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

interface StoredTap {
  device_id: string;
  card_id: string;
  checked_at: Date;
  outcome: string;
}

const tapKey = (deviceId: string, cardId: string, at: Date, outcome: string) => `${deviceId}\u0000${cardId}\u0000${at.getTime()}\u0000${outcome}`;

/** The rows the insert stored, in batch order, each tap once (a retry in the same batch is skipped by the insert too). */
export function newTaps(rows: readonly CardCheckRow[], stored: readonly StoredTap[]): CardCheckRow[] {
  if (stored.length === rows.length) return [...rows];
  const fresh = new Set(stored.map((s) => tapKey(s.device_id, s.card_id, new Date(s.checked_at), s.outcome)));
  return rows.filter((r) => fresh.delete(tapKey(r.deviceId, r.cardId, r.checkedAt, r.outcome)));
}
