import { formatWireTime } from '@onecard/platform';

/** `yyyy-MM-dd HH:mm:ss` in the wire time zone (the document's order times). */
export function wireTime(date: Date | string, zone: string): string {
  return formatWireTime(date instanceof Date ? date : new Date(date), 'yyyy-MM-dd HH:mm:ss', zone);
}

/** Postgres unique violation (of `constraint`, when given). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e?.code ?? e?.driverError?.code;
  const name = e?.constraint ?? e?.driverError?.constraint;
  return code === '23505' && (!constraint || name === constraint);
}
