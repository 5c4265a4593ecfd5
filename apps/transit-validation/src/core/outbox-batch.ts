import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EventMessage, EventPayload, EventSubject } from '@onecard/contracts';
import { OUTBOX_WRITTEN } from '@onecard/platform';

/**
 * Many events of one subject into the outbox with ONE statement, inside the caller's
 * transaction: the batched writers (online checks) record hundreds of events per flush, where
 * `Outbox.add` costs a round trip each. Same row shape as the platform's Outbox (the relay
 * cannot tell them apart) and the same commit wake-up.
 * Wanted upstream: `Outbox.addMany(manager, subject, payloads)` in @onecard/platform.
 */
@Injectable()
export class OutboxBatch {
  async addMany<S extends EventSubject>(manager: EntityManager, subject: S, payloads: EventPayload<S>[]): Promise<void> {
    if (payloads.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) throw new Error(`OutboxBatch.addMany(${subject}) outside a transaction`);
    const ids: string[] = [];
    const messages: string[] = [];
    const occurredAt = new Date().toISOString();
    for (const payload of payloads) {
      const message = { eventId: randomUUID(), occurredAt, producer: 'transit-validation', ...payload } as EventMessage<S>;
      ids.push(message.eventId);
      messages.push(JSON.stringify(message));
    }
    await manager.query(`INSERT INTO outbox (id, subject, message) SELECT id, $2, m FROM unnest($1::uuid[], $3::jsonb[]) AS t(id, m)`, [ids, subject, messages]);
    manager.queryRunner.data = { ...manager.queryRunner.data, [OUTBOX_WRITTEN]: true };
  }
}
