import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventMessage, EventSubject } from '@onecard/contracts';

export const HANDLES_EVENT = 'onecard:handles-event';

/**
 * A handler gets the event and an EntityManager: inside the transaction that records the event
 * in the inbox (the default), or the DataSource's own manager when `transaction: false`.
 */
export type EventHandler<S extends EventSubject> = (event: EventMessage<S>, manager: EntityManager) => Promise<void>;

export interface HandlesEventOptions {
  /**
   * Deliveries before the event becomes a dead letter (default 5). Between them the consumer
   * waits EVENT_RETRY_BASE_MS, doubling each time up to EVENT_RETRY_MAX_MS.
   */
  maxDeliveries?: number;
  /**
   * Events handled at once, across all replicas (default 1: one at a time, in stream order, a
   * failing event holding back the ones after it). Above 1 only where order does not matter.
   */
  parallel?: number;
  /**
   * `true` (default): the handler runs in the transaction that records the event in the inbox.
   * `false`: no transaction around it, the inbox row written after it succeeds, so it may run
   * more than once for one event and must be idempotent itself. For handlers doing outbound I/O.
   */
  transaction?: boolean;
}

/** The options with their defaults applied. */
export type ConsumerOptions = Required<HandlesEventOptions>;

export interface HandlesEventMetadata {
  subject: EventSubject;
  options: ConsumerOptions;
}

export const MAX_PARALLEL = 256;

/** Defaults applied and checked, so a bad option stops the app when its class loads. */
export function consumerOptions(options: HandlesEventOptions = {}): ConsumerOptions {
  const resolved = { maxDeliveries: 5, parallel: 1, transaction: true, ...options };
  if (!Number.isInteger(resolved.maxDeliveries) || resolved.maxDeliveries < 1) {
    throw new Error(`@HandlesEvent maxDeliveries must be an integer of at least 1 (got ${options.maxDeliveries})`);
  }
  if (!Number.isInteger(resolved.parallel) || resolved.parallel < 1 || resolved.parallel > MAX_PARALLEL) {
    throw new Error(`@HandlesEvent parallel must be an integer from 1 to ${MAX_PARALLEL} (got ${options.parallel})`);
  }
  return resolved;
}

/**
 * Marks a provider method as the app's durable consumer of `subject` (one per app and subject).
 * The method's signature is checked against the subject's payload at compile time.
 */
export function HandlesEvent<S extends EventSubject>(subject: S, options?: HandlesEventOptions) {
  const metadata: HandlesEventMetadata = { subject, options: consumerOptions(options) };
  return (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<EventHandler<S>>): void => {
    SetMetadata(HANDLES_EVENT, metadata)(target, key, descriptor);
  };
}
