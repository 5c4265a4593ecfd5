import { AppName } from '@onecard/contracts';
import { CardIssue, DeadCallback, DeadLetter, DeadRow, PlatformDeadLetter } from './dead-letter';

/** An event a consumer gave up on (every app's `GET /admin/events?status=dead`). */
export function eventLetter(app: AppName, l: PlatformDeadLetter): DeadLetter {
  return { app, kind: 'event', id: String(l.id), what: l.subject, where: l.consumer, reason: l.reason, error: l.error ?? null, at: l.deadAt, attempts: l.deliveries, replayable: true };
}

/** A supervision-platform callback wage-attendance stopped retrying. */
export function callbackLetter(c: DeadCallback): DeadLetter {
  return {
    app: 'wage-attendance',
    kind: 'callback',
    id: String(c.id),
    what: c.kind,
    where: c.deviceKey,
    reason: 'failed',
    error: c.lastError ?? null,
    at: c.lastAttemptAt ?? c.createdAt,
    attempts: c.attempts,
    replayable: true,
  };
}

/** A card.issued campus-card could not apply (an open card issue). */
export function cardIssueLetter(i: CardIssue): DeadLetter {
  return { app: 'campus-card', kind: 'card-issue', id: i.eventId, what: 'card.issued', where: i.orderId, reason: i.reason, error: i.reason, at: i.receivedAt, attempts: null, replayable: true };
}

/** A row transit-validation's batched writers could not store: shown, never replayed (the device had its answer). */
export function deadRowLetter(r: DeadRow): DeadLetter {
  return { app: 'transit-validation', kind: 'dead-row', id: String(r.id), what: r.writer, where: null, reason: r.reason, error: r.reason, at: r.failed_time, attempts: null, replayable: false };
}
