import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CardIssuanceConfig } from '../config';

/**
 * Records when each kiosk was last heard from (`machine.last_seen_at`), for the operators' online
 * state, without a write per request: a replica writes a kiosk's time at most once every tenth of
 * KIOSK_OFFLINE_AFTER_S (at least 1 s), in the background. The hot path pays a Map lookup.
 */
@Injectable()
export class KioskPresence {
  private readonly logger = new Logger('kiosk-presence');
  private readonly written = new Map<string, number>();
  private readonly everyMs: number;

  constructor(
    private readonly db: DataSource,
    config: CardIssuanceConfig,
  ) {
    this.everyMs = Math.max(1000, (config.KIOSK_OFFLINE_AFTER_S * 1000) / 10);
  }

  seen(machineNo: string, now = Date.now()): void {
    const last = this.written.get(machineNo);
    if (last !== undefined && now - last < this.everyMs) return;
    if (this.written.size > 10_000) this.written.clear();
    this.written.set(machineNo, now);
    this.db.query(`UPDATE machine SET last_seen_at = greatest(last_seen_at, to_timestamp($2 / 1000.0)) WHERE machine_no = $1`, [machineNo, now]).catch((error: Error) => {
      // Only the online view is late; try again on the next call.
      this.written.delete(machineNo);
      this.logger.warn(`machine ${machineNo}: last seen not recorded: ${error.message}`);
    });
  }
}
