import type { TransitValidationConfig } from '../config';

type WindowSettings = Pick<TransitValidationConfig, 'TRANSIT_OFFLINE_AFTER_HEARTBEATS' | 'TRANSIT_OFFLINE_MIN_S'>;

/**
 * The seconds of silence after which a validator is offline, as SQL over `device d` and
 * `line_setting l` (its line's row, left-joined): TRANSIT_OFFLINE_AFTER_HEARTBEATS of the heartbeat
 * intervals it is told (its own, its line's, else `defaultInterval`, the parameter holding
 * TRANSIT_REPORT_INTERVAL_S), at least TRANSIT_OFFLINE_MIN_S. /admin/devices, the offline sweep and
 * the heartbeats' online transitions judge by this one expression, so what is published is what
 * operators are shown. The two settings are validated integers, written in as literals.
 */
export function offlineAfterSql(config: WindowSettings, defaultInterval: string): string {
  return `greatest(${config.TRANSIT_OFFLINE_AFTER_HEARTBEATS} * coalesce(d.heartbeat_interval, l.heartbeat_interval, ${defaultInterval}), ${config.TRANSIT_OFFLINE_MIN_S})`;
}
