import { AppError, ErrorKind } from '@onecard/kernel';
import type { StoredReport } from './personalisation-session.entity';

/**
 * The answer a session gave to its last report, stored as JSON text so a repeated report gets
 * the same bytes: either the `data` of a success envelope or the error behind a failure one.
 */
export type SessionAnswer =
  | { ok: true; data: unknown }
  | { ok: false; kind: ErrorKind; code: string; message: string; field?: string };

export function encodeAnswer(answer: SessionAnswer): string {
  return JSON.stringify(answer);
}

/** Returns the stored data, or throws the stored error exactly as first thrown. */
export function replayAnswer(text: string): unknown {
  const answer = JSON.parse(text) as SessionAnswer;
  if (answer.ok) return answer.data;
  throw new AppError(answer.kind, answer.code, answer.message, answer.field);
}

export function errorAnswer(error: AppError): SessionAnswer {
  return { ok: false, kind: error.kind, code: error.code, message: error.message, field: error.field };
}

/** Same index, same result, same R-APDU (hex case and spaces aside). */
export function isSameReport(a: StoredReport | null, b: StoredReport): boolean {
  return !!a && a.apduIndex === b.apduIndex && a.result === b.result && a.rapdu.toUpperCase() === b.rapdu.toUpperCase();
}
