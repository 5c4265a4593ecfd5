import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EventMessage, EventSubject } from '@onecard/contracts';
import type { RegisteredHandler } from './event-handlers';

export type Applied = 'applied' | 'duplicate';

const RECORD = `INSERT INTO inbox (event_id, consumer, subject) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id`;

/**
 * The inbox rule, the same for a delivery and for an operator's replay: an event id a consumer
 * has handled is not handled again.
 */
@Injectable()
export class Inbox {
  constructor(private readonly db: DataSource) {}

  /** Runs the handler unless the inbox already has the event; throws what the handler throws. */
  applyOnce(h: RegisteredHandler, event: EventMessage<EventSubject>): Promise<Applied> {
    const args = [event.eventId, h.consumer, h.subject];
    if (h.options.transaction) {
      // Inbox row and handler's writes commit together; a concurrent delivery of the same event
      // waits on the row and then finds it.
      return this.db.transaction(async (manager) => {
        const inserted: unknown[] = await manager.query(RECORD, args);
        if (inserted.length === 0) return 'duplicate';
        await h.handle(event, manager);
        return 'applied';
      });
    }
    return this.applyWithoutTransaction(h, event, args);
  }

  async has(h: RegisteredHandler, eventId: string): Promise<boolean> {
    const seen: unknown[] = await this.db.query(`SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2`, [h.consumer, eventId]);
    return seen.length > 0;
  }

  /** No transaction is held while the handler runs (its outbound I/O); the inbox row follows success. */
  private async applyWithoutTransaction(h: RegisteredHandler, event: EventMessage<EventSubject>, args: string[]): Promise<Applied> {
    if (await this.has(h, event.eventId)) return 'duplicate';
    await h.handle(event, this.db.manager);
    await this.db.query(RECORD, args);
    return 'applied';
  }
}
