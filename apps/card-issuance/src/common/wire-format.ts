import { formatWireTime } from '@onecard/platform';

/** `yyyy-MM-dd HH:mm:ss` in the wire time zone, or null. */
export function wireTime(date: Date | string | null | undefined, zone: string): string | null {
  if (!date) return null;
  return formatWireTime(date instanceof Date ? date : new Date(date), 'yyyy-MM-dd HH:mm:ss', zone);
}

/** Postgres unique violation. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e?.code ?? e?.driverError?.code;
  const name = e?.constraint ?? e?.driverError?.constraint;
  return code === '23505' && (!constraint || name === constraint);
}
