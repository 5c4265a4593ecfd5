import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Events } from '@onecard/contracts';
import { Outbox } from '@onecard/messaging';
import { TransitValidationConfig } from '../config';
import { offlineAfterSql } from './presence-window';
import { wentOfflineAt } from '@onecard/platform';
import { presenceEvent, ValidatorStatus } from './presence-events';

/**
 * A validator the heartbeat write may have brought online: it was offline as published (or never
 * heard from), or online as published with a gap since its previous heartbeat of at least
 * TRANSIT_OFFLINE_MIN_S, which may be past its own window before the offline sweep saw it.
 */
export interface HeardValidator {
  device_id: string;
  last_seen_at: Date;
  lng: number | null;
  lat: number | null;
  was_online: boolean;
  /** last_seen_at before this heartbeat (null for its first). */
  prior_seen_at: Date | null;
}

/**
 * The online transitions of heartbeats, in the heartbeat write's transaction. The write's own
 * statement (ON CONFLICT DO UPDATE, under the row lock, so against the latest row, whatever a
 * replica's flush or sweep committed meanwhile) set `online` and answered the few rows that may
 * have changed; this publishes theirs: `online`, and first the `offline` the sweep would have
 * published when a validator came back before any sweep saw it silent. Costs one more statement
 * in a flush that has transitions, none in the others.
 */
@Injectable()
export class ValidatorPresence {
  constructor(
    private readonly outbox: Outbox,
    private readonly config: TransitValidationConfig,
  ) {}

  async heard(manager: EntityManager, validators: HeardValidator[]): Promise<void> {
    if (validators.length === 0) return;
    const devices: Array<{ device_id: string; enterprise_id: string; line_id: string; offline_after_s: number }> = await manager.query(
      `SELECT d.device_id, d.enterprise_id, d.line_id, ${offlineAfterSql(this.config, '$2')} AS offline_after_s
         FROM device d LEFT JOIN line_setting l ON l.line_id = d.line_id WHERE d.device_id = ANY($1)`,
      [validators.map((v) => v.device_id), this.config.TRANSIT_REPORT_INTERVAL_S],
    );
    const byId = new Map(devices.map((d) => [d.device_id, d]));
    const events: ValidatorStatus[] = [];
    for (const v of validators) {
      const device = byId.get(v.device_id);
      if (!device) continue;
      const row = { ...device, lng: v.lng, lat: v.lat };
      if (v.was_online && v.prior_seen_at) {
        const lapsedAt = wentOfflineAt(v.prior_seen_at, device.offline_after_s);
        // Still within its window: no change (its gap was only longer than the shortest window).
        if (new Date(v.last_seen_at) < lapsedAt) continue;
        // Where it was when it fell silent is not kept: the offline says when, not where.
        events.push(presenceEvent({ ...row, lng: null, lat: null }, 'offline', lapsedAt));
      }
      events.push(presenceEvent(row, 'online', v.last_seen_at));
    }
    await this.outbox.addMany(manager, Events.DeviceStatusChanged, events);
  }
}
