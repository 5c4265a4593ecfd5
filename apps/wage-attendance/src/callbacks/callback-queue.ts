import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallbackForm, CallbackKind } from './callback-forms';

/** Marks a transaction that queued callbacks (read by the dispatcher's commit subscriber). */
export const CALLBACKS_QUEUED = 'wage-attendance:callbacks-queued';

export interface QueuedCallback {
  deviceKey: string;
  kind: CallbackKind;
  form: CallbackForm;
}

/**
 * Queues callbacks to the supervision platform inside the caller's transaction, so a change and
 * the callback reporting it commit together or not at all. Delivery (CallbackDispatcher) starts
 * once the transaction commits; per device in the order queued.
 */
@Injectable()
export class CallbackQueue {
  private readonly listeners: Array<() => void> = [];

  /** `listener` runs when a writer outside a TypeORM transaction says it committed callbacks. */
  onCommitted(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * For a writer that inserted its callbacks (and their callback_lane rows, ON CONFLICT DO NOTHING)
   * in one statement of its own, outside a TypeORM transaction: call once it committed.
   */
  committed(): void {
    for (const listener of this.listeners) listener();
  }

  async add(manager: EntityManager, callbacks: readonly QueuedCallback[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error('CallbackQueue.add outside a transaction: the callback could outlive a rolled-back change');
    if (callbacks.length === 0) return;
    // One JSON parameter for the batch; ordinality keeps the ids in the order given.
    await manager.query(
      `INSERT INTO callback (device_key, kind, form)
       SELECT c->>'deviceKey', c->>'kind', c->'form' FROM json_array_elements($1::json) WITH ORDINALITY AS t(c, n) ORDER BY n`,
      [JSON.stringify(callbacks)],
    );
    // The lane row exists once per device; DO NOTHING never waits on a lane a worker holds.
    await manager.query(`INSERT INTO callback_lane (device_key) SELECT DISTINCT unnest($1::text[]) ON CONFLICT DO NOTHING`, [[...new Set(callbacks.map((c) => c.deviceKey))]]);
    this.queuedIn(manager);
  }

  /**
   * For a writer that inserts its callbacks (and their callback_lane rows, ON CONFLICT DO NOTHING)
   * within a statement of its own: delivery starts when its transaction commits.
   */
  queuedIn(manager: EntityManager): void {
    if (!manager.queryRunner) throw new Error('CallbackQueue.queuedIn outside a transaction');
    manager.queryRunner.data = { ...manager.queryRunner.data, [CALLBACKS_QUEUED]: true };
  }
}
