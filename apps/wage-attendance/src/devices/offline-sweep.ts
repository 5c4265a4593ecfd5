import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { Outbox } from '@onecard/messaging';
import { PresenceSweep, wentOfflineAt } from '@onecard/platform';
import { WageAttendanceConfig } from '../config';
import { DeviceStatusRow, terminalStatus } from './device-events';

type SilentTerminal = DeviceStatusRow & { last_active_at: Date };

/**
 * /device/query computes onlineState when asked; nothing happens when a terminal falls silent. So
 * every TERMINAL_OFFLINE_SWEEP_MS each replica marks the terminals online (as published) but
 * silent past TERMINAL_OFFLINE_AFTER_S offline and publishes their `offline`, in one transaction
 * (the platform's PresenceSweep). The rows are taken FOR UPDATE SKIP LOCKED and re-checked, so
 * replicas sweeping at once split the work and a transition is published once; a row a terminal's
 * call holds is skipped, and that call publishes the offline itself if it is due (TerminalPresence).
 */
@Injectable()
export class OfflineSweep extends PresenceSweep<SilentTerminal> {
  constructor(db: DataSource, outbox: Outbox, config: WageAttendanceConfig) {
    const window = config.TERMINAL_OFFLINE_AFTER_S;
    super(db, {
      name: 'devices',
      everyMs: config.TERMINAL_OFFLINE_SWEEP_MS,
      markOffline: `UPDATE device SET online = false
        WHERE device_key IN (SELECT device_key FROM device WHERE online AND last_active_at < now() - make_interval(secs => $2)
                              ORDER BY last_active_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING device_key, state, version_no, last_active_at`,
      params: () => [window],
      publish: (manager, rows) =>
        outbox.addMany(manager, Events.TerminalStatusChanged, rows.map((row) => terminalStatus(row, 'offline', 2, wentOfflineAt(row.last_active_at, window)))),
    });
  }
}
