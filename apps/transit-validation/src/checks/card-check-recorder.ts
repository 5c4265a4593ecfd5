import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CheckOutcome, Events } from '@onecard/contracts';
import { MetricsRegistry } from '@onecard/kernel';
import { Outbox } from '@onecard/messaging';
import { TransitValidationConfig } from '../config';
import { BatchWriter } from '../core/batch-writer';
import { BatchWriters } from '../core/batch-writers';

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
  /** Position as sent, only when the number alone does not say it (see telemetry/telemetry.ts). */
  lngRaw?: string;
  latRaw?: string;
}

// The batch goes as ONE JSON parameter (V8's stringify; ten array parameters cost pg's escaping
// in JS per element), read by the row's own field names. Times arrive as epoch ms. The answer is
// one row: how many were stored and, only when some were not (retries), which ones, so the usual
// batch costs no per-row parsing. json_agg over no rows is NULL, not an empty array: coalesced, or
// a batch of nothing but retries would read as "all new" and publish every retry again.
const INSERT_TAPS = `
  WITH stored AS (
    INSERT INTO card_check (device_id, line_id, card_id, checked_at, received_at, check_mode, outcome, ret_code, lng, lat, lng_raw, lat_raw)
    SELECT "deviceId", "lineId", "cardId", to_timestamp("checkedAtMs" / 1000), to_timestamp("receivedAtMs" / 1000), "checkMode", outcome, "retCode", lng, lat,
           "lngRaw", "latRaw"
      FROM json_to_recordset($1::json) AS t("deviceId" text, "lineId" text, "cardId" text, "checkedAtMs" float8, "receivedAtMs" float8,
        "checkMode" smallint, outcome text, "retCode" int, lng float8, lat float8, "lngRaw" text, "latRaw" text)
    ON CONFLICT DO NOTHING RETURNING device_id, card_id, checked_at, outcome
  )
  SELECT count(*)::int AS n,
         CASE WHEN count(*) < $2 THEN coalesce(json_agg(json_build_object('deviceId', device_id, 'cardId', card_id,
           'checkedAtMs', (extract(epoch FROM checked_at) * 1000)::float8, 'outcome', outcome)), '[]'::json) END AS taps
    FROM stored`;

/**
 * Online card checks are answered from memory and recorded in batches (see BatchWriter for the
 * durability trade-off): one transaction per flush inserts the rows into `card_check` and their
 * `card.checked` events into the outbox with one statement each.
 */
@Injectable()
export class CardCheckRecorder implements BeforeApplicationShutdown {
  readonly writer: BatchWriter<CardCheckRow>;

  constructor(db: DataSource, outbox: Outbox, config: TransitValidationConfig, metrics: MetricsRegistry, writers: BatchWriters) {
    // Its outbox batch rows are written in the same transaction: a row either fails, it splits the batch alike.
    this.writer = writers.create<CardCheckRow>({
      name: 'card_checks',
      flushMs: config.TRANSIT_HEARTBEAT_FLUSH_MS,
      maxBatch: config.TRANSIT_HEARTBEAT_BATCH,
      maxPending: config.TRANSIT_MAX_PENDING_ROWS,
      write: (rows) =>
        db.transaction(async (manager) => {
          // A retried check (same device, card, device time and answer) is the same tap: stored and published once.
          const [stored]: Array<{ n: number; taps: StoredTap[] | null }> = await manager.query(INSERT_TAPS, [JSON.stringify(rows), rows.length]);
          await outbox.addMany(
            manager,
            Events.CardChecked,
            newTaps(rows, stored.taps).map((r) => ({ deviceId: r.deviceId, lineId: r.lineId, cardId: r.cardId, mode: 'online' as const, outcome: r.outcome, checkedAt: new Date(r.checkedAtMs).toISOString() })),
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

/** A tap the insert stored (the keys of its uniqueness: device, card, time and answer). */
export interface StoredTap {
  deviceId: string;
  cardId: string;
  checkedAtMs: number;
  outcome: string;
}

const tapKey = (t: StoredTap) => `${t.deviceId}\u0000${t.cardId}\u0000${t.checkedAtMs}\u0000${t.outcome}`;

/** The rows the insert stored, in batch order, each tap once (a retry in the same batch is skipped by the insert too); `stored` null: all of them. */
export function newTaps(rows: readonly CardCheckRow[], stored: readonly StoredTap[] | null): CardCheckRow[] {
  if (stored === null) return [...rows];
  const fresh = new Set(stored.map(tapKey));
  return rows.filter((r) => fresh.delete(tapKey(r)));
}
