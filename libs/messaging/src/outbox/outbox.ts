import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EventMessage, EventPayload, EventSubject } from '@onecard/contracts';
import { APP_DEFINITION } from '@onecard/kernel';
import type { OneCardAppDefinition } from '@onecard/kernel';

/** Marks a transaction that wrote to the outbox (read by the relay's commit subscriber). */
export const OUTBOX_WRITTEN = 'onecard:outbox-written';

/** Events per batch row: bounds a relay round's work (it takes whole rows) and a row's size. */
export const OUTBOX_EVENTS_PER_ROW = 500;

/** Events still to publish, over the rows `WHERE published_at IS NULL` (a batch row counts its unpublished events). */
export const OUTBOX_BACKLOG_SQL = `coalesce(sum(coalesce(batch_size, 1) - published_count), 0)::int`;

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
    const [message] = await this.record('add', manager, subject, [payload]);
    return message;
  }

  /**
   * Records many events of one subject with ONE statement, as batch rows of up to
   * OUTBOX_EVENTS_PER_ROW events each (batched writers record hundreds per flush; a row per event
   * cost Postgres an insert, a lock and an update each). Same contract as `add`: each event is
   * published as its own message, with its eventId as Nats-Msg-Id, in the order given.
   */
  addMany<S extends EventSubject>(manager: EntityManager, subject: S, payloads: readonly EventPayload<S>[]): Promise<EventMessage<S>[]> {
    return this.record('addMany', manager, subject, payloads);
  }

  private async record<S extends EventSubject>(
    method: string,
    manager: EntityManager,
    subject: S,
    payloads: readonly EventPayload<S>[],
  ): Promise<EventMessage<S>[]> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`Outbox.${method}(${subject}) outside a transaction: the event could outlive a rolled-back change`);
    }
    if (payloads.length === 0) return [];
    const occurredAt = new Date().toISOString();
    const messages = payloads.map((payload) => ({ eventId: randomUUID(), occurredAt, producer: this.definition.name, ...payload }) as EventMessage<S>);
    if (messages.length === 1) {
      await manager.query(`INSERT INTO outbox (id, subject, message) VALUES ($1, $2, $3)`, [messages[0].eventId, subject, JSON.stringify(messages[0])]);
    } else {
      // One JSON parameter for all: an array of batches, each an array of messages (V8's
      // stringify, where per-element parameters cost pg's escaping in JS). Each batch is stored
      // as the text written; ordinality keeps seq (the publishing order) in the order given.
      const batches: EventMessage<S>[][] = [];
      for (let i = 0; i < messages.length; i += OUTBOX_EVENTS_PER_ROW) batches.push(messages.slice(i, i + OUTBOX_EVENTS_PER_ROW));
      await manager.query(
        `INSERT INTO outbox (id, subject, message, batch_size)
         SELECT gen_random_uuid(), $1, b, json_array_length(b) FROM json_array_elements($2::json) WITH ORDINALITY AS t(b, n) ORDER BY n`,
        [subject, JSON.stringify(batches)],
      );
    }
    // The relay's commit subscriber wakes it once this transaction commits.
    manager.queryRunner.data = { ...manager.queryRunner.data, [OUTBOX_WRITTEN]: true };
    return messages;
  }
}
