import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CardIssuanceConfig } from '../config';

/**
 * Records when each kiosk was last heard from (`machine.last_seen_at`), for the operators' online
 * state, without a write per request: a replica writes a kiosk's time at most once every tenth of
 * KIOSK_OFFLINE_AFTER_S (at least 1 s), in the background, and the kiosks due in the same turn of
 * the event loop in one UPDATE (a fleet starting together, whose nonces were claimed by one
 * statement, was an UPDATE per kiosk competing for the pool with its own first calls). The hot
 * path pays a Map lookup.
 */
@Injectable()
export class KioskPresence implements OnApplicationShutdown {
  private readonly logger = new Logger('kiosk-presence');
  private readonly written = new Map<string, number>();
  private readonly everyMs: number;
  /** Seen and not written yet: machineNo → time seen. */
  private pending = new Map<string, number>();
  private timer?: NodeJS.Immediate;

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
    this.pending.set(machineNo, now);
    this.timer ??= setImmediate(() => void this.flush());
  }

  /** Writes the pending times in one statement; resolves when written (or failed: they are tried again on the kiosks' next calls). */
  async flush(): Promise<void> {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    try {
      await this.db.query(
        `UPDATE machine m SET last_seen_at = greatest(m.last_seen_at, to_timestamp(s.at / 1000.0))
         FROM unnest($1::text[], $2::float8[]) AS s(machine_no, at) WHERE m.machine_no = s.machine_no`,
        [[...batch.keys()], [...batch.values()]],
      );
    } catch (error) {
      // Only the online view is late; try again on each kiosk's next call.
      for (const machineNo of batch.keys()) this.written.delete(machineNo);
      this.logger.warn(`last seen of ${batch.size} machine(s) not recorded: ${(error as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
  }
}
