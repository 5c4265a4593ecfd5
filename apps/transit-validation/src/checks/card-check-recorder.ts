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
  /** Epoch ms (numbers, not Dates: a Date's toJSON cost 5 µs per row in the batch's JSON). */
  checkedAtMs: number;
  receivedAtMs: number;
  checkMode: number;
  outcome: CheckOutcome;
  retCode: number;
  lng?: number;
  lat?: number;
}

// The batch goes as ONE JSON parameter (V8's stringify; ten array parameters cost pg's escaping
// in JS per element), read by the row's own field names. Times arrive as epoch ms.
const INSERT_TAPS = `
  INSERT INTO card_check (device_id, line_id, card_id, checked_at, received_at, check_mode, outcome, ret_code, lng, lat)
  SELECT "deviceId", "lineId", "cardId", to_timestamp("checkedAtMs" / 1000), to_timestamp("receivedAtMs" / 1000), "checkMode", outcome, "retCode", lng, lat
    FROM json_to_recordset($1::json) AS t("deviceId" text, "lineId" text, "cardId" text, "checkedAtMs" float8, "receivedAtMs" float8,
      "checkMode" smallint, outcome text, "retCode" int, lng float8, lat float8)
  ON CONFLICT DO NOTHING RETURNING device_id, card_id, checked_at, outcome`;

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
          const stored: StoredTap[] = await manager.query(INSERT_TAPS, [JSON.stringify(rows)]);
          await outbox.addMany(
            manager,
            Events.CardChecked,
            newTaps(rows, stored).map((r) => ({ deviceId: r.deviceId, lineId: r.lineId, cardId: r.cardId, mode: 'online' as const, outcome: r.outcome, checkedAt: new Date(r.checkedAtMs).toISOString() })),
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

const tapKey = (deviceId: string, cardId: string, atMs: number, outcome: string) => `${deviceId}\u0000${cardId}\u0000${atMs}\u0000${outcome}`;

/** The rows the insert stored, in batch order, each tap once (a retry in the same batch is skipped by the insert too). */
export function newTaps(rows: readonly CardCheckRow[], stored: readonly StoredTap[]): CardCheckRow[] {
  if (stored.length === rows.length) return [...rows];
  const fresh = new Set(stored.map((s) => tapKey(s.device_id, s.card_id, new Date(s.checked_at).getTime(), s.outcome)));
  return rows.filter((r) => fresh.delete(tapKey(r.deviceId, r.cardId, r.checkedAtMs, r.outcome)));
}
