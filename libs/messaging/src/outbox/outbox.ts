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
 * The INSERT of a writer that stores its events in a statement of its own (a CTE beside the change
 * it reports, so one statement is the whole transaction): `source` is a relation with `n` (the
 * publishing order, from 0) and `message` (json: an element of `Outbox.messages`), `subject` the
 * SQL of the subject (a parameter). Batch rows of up to OUTBOX_EVENTS_PER_ROW events, as addMany
 * writes them; nothing for no rows. The writer wakes the relay after its commit (OutboxRelay.wake).
 */
export function outboxInsertFrom(source: string, subject: string): string {
  return `INSERT INTO outbox (id, subject, message, batch_size)
    SELECT gen_random_uuid(), ${subject}, json_agg(message ORDER BY n), count(*)::int FROM ${source}
     GROUP BY n / ${OUTBOX_EVENTS_PER_ROW} ORDER BY n / ${OUTBOX_EVENTS_PER_ROW}`;
}

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

  /**
   * The messages of these payloads (eventId, occurredAt, producer), for a writer storing them with
   * a statement of its own (outboxInsertFrom); each is published as add's would be.
   */
  messages<S extends EventSubject>(_subject: S, payloads: readonly EventPayload<S>[]): EventMessage<S>[] {
    const occurredAt = new Date().toISOString();
    return payloads.map((payload) => ({ eventId: randomUUID(), occurredAt, producer: this.definition.name, ...payload }) as EventMessage<S>);
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
    const messages = this.messages(subject, payloads);
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
