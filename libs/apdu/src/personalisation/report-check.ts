import { ResponseApdu } from '../apdu/response-apdu';
import { formatStatusWord } from '../apdu/status-words';
import { ApduFormatError } from '../errors';
import { KioskReport, OutstandingBatch, PersonalisationFailure } from './types';

export type ReportCheck =
  /** `branched`: the batch ended early at a command's `branchSws` answer. */
  | { ok: true; response: ResponseApdu; branched: boolean }
  | { ok: false; reason: PersonalisationFailure; message: string };

function fail(reason: PersonalisationFailure, message: string): ReportCheck {
  return { ok: false, reason, message };
}

function tryParse(rapdu: unknown): ResponseApdu | string {
  try {
    if (typeof rapdu !== 'string') return 'R-APDU is not a string';
    return ResponseApdu.parse(rapdu);
  } catch (e) {
    if (e instanceof ApduFormatError) return e.message;
    throw e;
  }
}

/**
 * Order matters: a kiosk failure wins; then the index must fall inside the batch; the command's
 * branch SW is an answer wherever it stops the batch; any other wrong SW at that index explains
 * an early stop; an early stop with the right SW is a wrong index.
 */
export function checkReport(batch: OutstandingBatch, report: KioskReport): ReportCheck {
  const { lastIndex } = report;
  const position = Number.isInteger(lastIndex) ? lastIndex - batch.firstIndex : -1;
  const label = position >= 0 && position < batch.labels.length ? ` (${batch.labels[position]})` : '';
  const parsed = tryParse(report.rapdu);

  if (report.kioskResult !== 'success') {
    const sw = typeof parsed === 'string' ? '' : `, card answered ${formatStatusWord(parsed.sw)}`;
    return fail(PersonalisationFailure.KIOSK_REPORTED_FAILURE, `kiosk reported failure at command #${lastIndex}${label}${sw}`);
  }
  if (position < 0 || position >= batch.sws.length) {
    return fail(
      PersonalisationFailure.WRONG_INDEX,
      `reported index ${lastIndex} is outside the outstanding batch #${batch.firstIndex}..#${batch.lastIndex}`,
    );
  }
  if (typeof parsed === 'string') {
    return fail(PersonalisationFailure.MALFORMED_RESPONSE, `R-APDU of command #${lastIndex}${label} is malformed: ${parsed}`);
  }
  const expected = batch.sws[position];
  if (parsed.swHex !== expected && parsed.swHex === batch.branchSws?.[position]) return { ok: true, response: parsed, branched: true };
  if (parsed.swHex !== expected) {
    return fail(
      PersonalisationFailure.UNEXPECTED_STATUS_WORD,
      `command #${lastIndex}${label} returned ${formatStatusWord(parsed.sw)}, expected ${formatStatusWord(expected)}`,
    );
  }
  if (lastIndex !== batch.lastIndex) {
    return fail(
      PersonalisationFailure.WRONG_INDEX,
      `kiosk stopped at #${lastIndex}${label} with the expected status; the batch ends at #${batch.lastIndex}`,
    );
  }
  return { ok: true, response: parsed, branched: false };
}

export function sameReport(a: KioskReport, b: KioskReport): boolean {
  const norm = (s: unknown) => (typeof s === 'string' ? s.replace(/\s+/g, '').toUpperCase() : s);
  return a.lastIndex === b.lastIndex && a.kioskResult === b.kioskResult && norm(a.rapdu) === norm(b.rapdu);
}
