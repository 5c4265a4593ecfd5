import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { Outbox } from '@onecard/messaging';
import { PresenceSweep, wentOfflineAt } from '@onecard/platform';
import { TransitValidationConfig } from '../config';
import { PresenceRow, presenceEvent } from './presence-events';
import { offlineAfterSql } from './presence-window';

type SilentValidator = PresenceRow & { last_seen_at: Date; offline_after_s: number };

/**
 * Every TRANSIT_OFFLINE_SWEEP_MS each replica marks the validators online (as published) but
 * silent past their window offline and publishes their `offline` with the position of their last
 * heartbeat, in one transaction (the platform's PresenceSweep). The rows are taken FOR UPDATE SKIP
 * LOCKED and re-checked, so replicas sweeping at once split the work and each offline is published
 * once; a row a heartbeat write holds is skipped, and that write publishes the offline itself if it
 * was due (ValidatorPresence). No index serves it (one on last_seen_at would cost every heartbeat's
 * update its HOT path): it reads `device_status`, one row per validator.
 */
@Injectable()
export class ValidatorOfflineSweep extends PresenceSweep<SilentValidator> {
  constructor(db: DataSource, outbox: Outbox, config: TransitValidationConfig) {
    const window = offlineAfterSql(config, '$2');
    super(db, {
      name: 'validator-presence',
      everyMs: config.TRANSIT_OFFLINE_SWEEP_MS,
      markOffline: `UPDATE device_status s SET online = false
          FROM device d LEFT JOIN line_setting l ON l.line_id = d.line_id
         WHERE d.device_id = s.device_id
           AND s.device_id IN (SELECT x.device_id FROM device_status x JOIN device d ON d.device_id = x.device_id LEFT JOIN line_setting l ON l.line_id = d.line_id
                                WHERE x.online AND x.last_seen_at <= now() - make_interval(secs => ${window})
                                ORDER BY x.last_seen_at LIMIT $1 FOR UPDATE OF x SKIP LOCKED)
        RETURNING s.device_id, d.enterprise_id, d.line_id, s.last_seen_at, s.lng, s.lat, ${window} AS offline_after_s`,
      params: () => [config.TRANSIT_REPORT_INTERVAL_S],
      publish: (manager, rows) =>
        outbox.addMany(manager, Events.DeviceStatusChanged, rows.map((row) => presenceEvent(row, 'offline', wentOfflineAt(row.last_seen_at, row.offline_after_s)))),
    });
  }
}
