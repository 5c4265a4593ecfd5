import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { EventContracts, EventMessage, EventSubject } from '@onecard/contracts';
import { firstInvalidField, unstorableText } from '@onecard/kernel';

export type DecodedEvent = { event: EventMessage<EventSubject>; invalid?: undefined } | { event?: undefined; invalid: string };

/**
 * A message from the bus is untrusted input: parsed and validated against the subject's contract
 * class as an HTTP body is. `invalid` names what is wrong (the field, as the validator says it).
 */
export async function decodeEvent(subject: EventSubject, text: string): Promise<DecodedEvent> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { invalid: 'message is not JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { invalid: 'message is not an object' };
  // Text Postgres cannot store (NUL, a lone surrogate) would fail the handler's SQL on every redelivery.
  const unstorable = unstorableText(body);
  if (unstorable) return { invalid: `${unstorable.field || 'message'}: ${unstorable.problem}` };
  const event = plainToInstance(EventContracts[subject] as new () => object, body);
  const errors = await validate(event, { forbidUnknownValues: true });
  if (errors.length > 0) return { invalid: firstInvalidField(errors).message };
  return { event: event as EventMessage<EventSubject> };
}

/** The event id a message claims, if any, for a dead letter of a message that did not validate. */
export function claimedEventId(text: string): string | null {
  try {
    const id = (JSON.parse(text) as { eventId?: unknown })?.eventId;
    return typeof id === 'string' && id.length > 0 ? id.slice(0, 100) : null;
  } catch {
    return null;
  }
}
