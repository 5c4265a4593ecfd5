import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { Outbox } from '@onecard/messaging';
import { PresenceSweep, wentOfflineAt } from '@onecard/platform';
import { CardIssuanceConfig } from '../config';
import { machineStatus } from '../machines/machine-status-events';

type SilentKiosk = { machine_no: string; project_id: string; last_seen_at: Date };

/**
 * Every KIOSK_OFFLINE_SWEEP_MS each replica marks the kiosks online (as published) but without a
 * signed call for KIOSK_OFFLINE_AFTER_S offline and publishes their `offline`, in one transaction
 * (the platform's PresenceSweep). The rows are taken FOR UPDATE SKIP LOCKED and re-checked, so
 * replicas sweeping at once split the work and each offline is published once; a row KioskPresence
 * holds is skipped, and it publishes the offline itself if it was due.
 */
@Injectable()
export class KioskOfflineSweep extends PresenceSweep<SilentKiosk> {
  constructor(db: DataSource, outbox: Outbox, config: CardIssuanceConfig) {
    const window = config.KIOSK_OFFLINE_AFTER_S;
    super(db, {
      name: 'kiosk-presence',
      everyMs: config.KIOSK_OFFLINE_SWEEP_MS,
      markOffline: `UPDATE machine SET online_published = false
        WHERE machine_no IN (SELECT machine_no FROM machine WHERE online_published AND last_seen_at <= now() - make_interval(secs => $2)
                              ORDER BY last_seen_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING machine_no, project_id, last_seen_at`,
      params: () => [window],
      publish: (manager, rows) =>
        outbox.addMany(manager, Events.MachineStatusChanged, rows.map((row) => machineStatus(row, 'offline', wentOfflineAt(row.last_seen_at, window)))),
    });
  }
}
