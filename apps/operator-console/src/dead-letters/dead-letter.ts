import { AppName } from '@onecard/contracts';

/** The kinds of letters the apps keep for operators (docs/ADMIN-API.md, "Dead letters and their replay"). */
export const DEAD_LETTER_KINDS = ['event', 'callback', 'card-issue', 'dead-row'] as const;
export type DeadLetterKind = (typeof DEAD_LETTER_KINDS)[number];

/** One thing an app could not do and kept, in one shape whatever the app and kind. */
export interface DeadLetter {
  app: AppName;
  kind: DeadLetterKind;
  /** The app's id of it: what its replay call takes. */
  id: string;
  /** What it is: the event's subject, the callback's kind, the writer. */
  what: string;
  /** Whose it is: the consumer, the terminal (deviceKey), the order. */
  where: string | null;
  reason: string | null;
  error: string | null;
  /** When it died or was received, as the app gives it (ISO for the platform's letters and callbacks, else wire time). */
  at: string | null;
  attempts: number | null;
  /** Whether `POST /api/dead-letters/{app}/{kind}/{id}/replay` can retry it. */
  replayable: boolean;
}

/** What the apps answer, as far as the console reads them. */
export interface PlatformDeadLetter {
  id: number | string;
  consumer: string;
  subject: string;
  eventId: string | null;
  reason: string;
  error: string | null;
  deliveries: number;
  deadAt: string;
}
export interface DeadCallback {
  id: string;
  deviceKey: string;
  kind: string;
  path: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
}
export interface CardIssue {
  eventId: string;
  orderId: string;
  userCode: string;
  cardId: string;
  reason: string;
  receivedAt: string;
}
export interface DeadRow {
  id: number | string;
  writer: string;
  reason: string;
  failed_time: string;
}
