import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EventMessage, EventPayload, EventSubject } from '@onecard/contracts';
import { APP_DEFINITION } from '../app/tokens';
import type { OneCardAppDefinition } from '../app/app-definition';

/** Marks a transaction that wrote to the outbox (read by the relay's commit subscriber). */
export const OUTBOX_WRITTEN = 'onecard:outbox-written';

/**
 * Records an event in the app's outbox inside the caller's transaction, so the change and its
 * event commit together or not at all. The relay publishes it after commit.
 */
@Injectable()
export class Outbox {
  constructor(
    @Inject(APP_DEFINITION) private readonly definition: OneCardAppDefinition,
  ) {}

  async add<S extends EventSubject>(manager: EntityManager, subject: S, payload: EventPayload<S>): Promise<EventMessage<S>> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`Outbox.add(${subject}) outside a transaction: the event could outlive a rolled-back change`);
    }
    const message = {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      producer: this.definition.name,
      ...payload,
    } as EventMessage<S>;
    await manager.query(`INSERT INTO outbox (id, subject, message) VALUES ($1, $2, $3)`, [message.eventId, subject, JSON.stringify(message)]);
    // The relay's commit subscriber wakes it once this transaction commits.
    manager.queryRunner.data = { ...manager.queryRunner.data, [OUTBOX_WRITTEN]: true };
    return message;
  }
}
