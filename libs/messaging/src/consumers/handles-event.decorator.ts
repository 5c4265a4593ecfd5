import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventMessage, EventSubject } from '@onecard/contracts';

export const HANDLES_EVENT = 'onecard:handles-event';

/** A handler runs inside the transaction that records the event in the inbox. */
export type EventHandler<S extends EventSubject> = (event: EventMessage<S>, manager: EntityManager) => Promise<void>;

/**
 * Marks a provider method as the app's durable consumer of `subject`. The method's signature
 * is checked against the subject's payload at compile time.
 */
export function HandlesEvent<S extends EventSubject>(subject: S) {
  return (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<EventHandler<S>>): void => {
    SetMetadata(HANDLES_EVENT, subject)(target, key, descriptor);
  };
}
