import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventMessage, Events } from '@onecard/contracts';
import { HandlesEvent } from '@onecard/messaging';

/**
 * A remote service the probe notifies (in process, shared by the replicas of one test): it
 * refuses the next `refusals` calls (-1: all of them) and remembers every call.
 */
export const probeRemote = {
  refusals: 0,
  calls: [] as Array<{ cardNo: string; ok: boolean }>,
  async send(cardNo: string): Promise<void> {
    await new Promise((r) => setTimeout(r, 5));
    const ok = this.refusals === 0;
    this.calls.push({ cardNo, ok });
    if (!ok) {
      this.refusals--;
      throw new Error('remote: 503 Service Unavailable');
    }
  },
};

/** The probe's consumers, one per way a handler can be declared. */
@Injectable()
export class ProbeConsumers {
  /** Tells apart two probe replicas in one test process. */
  readonly replica = randomBytes(3).toString('hex');

  constructor(private readonly db: DataSource) {}

  /**
   * Defaults (5 deliveries, one at a time, in a transaction). Fails on purpose while the order's
   * failure plan says so (-1: always); attempts are recorded outside the transaction, failed ones too.
   */
  @HandlesEvent(Events.CardIssued)
  async onCardIssued(event: EventMessage<typeof Events.CardIssued>, manager: EntityManager): Promise<void> {
    await this.db.query(`INSERT INTO probe_attempt (event_id, replica) VALUES ($1, $2)`, [event.eventId, this.replica]);
    // TypeORM answers an UPDATE with [rows, count].
    const [planned]: [unknown[], number] = await this.db.query(`UPDATE probe_failure_plan SET failures = failures - 1 WHERE order_id = $1 AND failures <> 0 RETURNING failures`, [event.orderId]);
    if (planned.length > 0) throw new Error(`order ${event.orderId} fails on purpose`);
    await manager.query(`INSERT INTO probe_applied (event_id, order_id) VALUES ($1, $2)`, [event.eventId, event.orderId]);
  }

  /** Slow, and order does not matter: four at once. */
  @HandlesEvent(Events.CardChecked, { parallel: 4 })
  async onCardChecked(event: EventMessage<typeof Events.CardChecked>, manager: EntityManager): Promise<void> {
    const startedAt = new Date();
    await new Promise((r) => setTimeout(r, 300));
    await manager.query(`INSERT INTO probe_checked (event_id, started_at, finished_at) VALUES ($1, $2, $3)`, [event.eventId, startedAt, new Date()]);
  }

  /**
   * Outbound I/O, as docs/DEVELOPING.md says: the intent is committed in its own short transaction,
   * the call made after with none held, and `sent_at` makes a second run of one event harmless.
   */
  @HandlesEvent(Events.TuyaCardChanged, { transaction: false, maxDeliveries: 3 })
  async onTuyaCardChanged(event: EventMessage<typeof Events.TuyaCardChanged>, manager: EntityManager): Promise<void> {
    const inTransaction = manager.queryRunner?.isTransactionActive ?? false;
    await manager.transaction((tx) =>
      tx.query(`INSERT INTO probe_notice (event_id, card_no, in_transaction) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [event.eventId, event.cardNo, inTransaction]),
    );
    const [notice] = await manager.query(`SELECT sent_at FROM probe_notice WHERE event_id = $1`, [event.eventId]);
    if (notice.sent_at) return;
    await probeRemote.send(event.cardNo);
    await manager.query(`UPDATE probe_notice SET sent_at = now() WHERE event_id = $1`, [event.eventId]);
  }
}
