import { MessagingTables1732300000000 } from './1732300000000-messaging-tables';
import { OutboxMessageAsJson1733500000000 } from './1733500000000-outbox-message-as-json';
import { OutboxBatches1733600000000 } from './1733600000000-outbox-batches';
import { EventDeadLetters1733700000000 } from './1733700000000-event-dead-letters';

/** The outbox, inbox and dead-letter tables, in every app's schema; they run before the app's own migrations. */
export const MESSAGING_MIGRATIONS = [MessagingTables1732300000000, OutboxMessageAsJson1733500000000, OutboxBatches1733600000000, EventDeadLetters1733700000000];
