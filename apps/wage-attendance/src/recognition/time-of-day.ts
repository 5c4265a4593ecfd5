import { formatWireTime } from '@onecard/platform';

/** Seconds since midnight of an instant in a time zone (passTimes are wall-clock times there). */
export function secondOfDayIn(at: Date, zone: string): number {
  const clock = formatWireTime(at, 'yyyy-MM-dd HH:mm:ss', zone).slice(11);
  return Number(clock.slice(0, 2)) * 3600 + Number(clock.slice(3, 5)) * 60 + Number(clock.slice(6, 8));
}
