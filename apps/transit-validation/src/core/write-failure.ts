/**
 * SQLSTATE classes of failures a row's own data causes: 22 data exception (bad JSON, text or
 * number), 23 integrity constraint violation, 54 program limit exceeded (a value too large). Any
 * other failure (connection, timeout, lock, permission, a missing table) is the database's, not a
 * row's: splitting the batch would not help and would bury good rows.
 */
const ROW_FAULT_CLASSES = new Set(['22', '23', '54']);

function codeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether a failed write was caused by the data of some row in it (so splitting the batch isolates it). */
export function isRowFault(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) && ROW_FAULT_CLASSES.has(code.slice(0, 2));
}

/**
 * A short, bounded label for a failure, fit for a metric: the SQLSTATE (`22P02`, `42P01`), the
 * socket error code (`ECONNREFUSED`), `timeout`, or `other`.
 */
export function failureReason(error: unknown): string {
  const code = codeOf(error);
  if (code && /^([0-9A-Z]{5}|E[A-Z]{2,20})$/.test(code)) return code;
  return /timeout|timed out/i.test((error as Error)?.message ?? '') ? 'timeout' : 'other';
}

/** The reason and the database's message, as text Postgres can store (no NUL, no lone surrogate), at most 500 characters. */
export function describeFailure(error: unknown): string {
  const text = `${failureReason(error)}: ${(error as Error)?.message ?? String(error)}`.slice(0, 500);
  // After the cut, which may have split a surrogate pair.
  return text.replace(/\0/g, '\\0').replace(/\p{Cs}/gu, '\uFFFD');
}
