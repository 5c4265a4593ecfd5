import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Events } from '@onecard/contracts';
import { Outbox } from '@onecard/messaging';
import { CardIssuanceConfig } from '../config';
import { wentOfflineAt } from '@onecard/platform';
import { machineStatus, MachineStatus } from '../machines/machine-status-events';

interface Before {
  machine_no: string;
  project_id: string;
  online: boolean;
  last_seen_at: Date | null;
}

/**
 * Records when each kiosk was last heard from (`machine.last_seen_at`), for the operators' online
 * state, without a write per request: a replica writes a kiosk's time at most once every tenth of
 * KIOSK_OFFLINE_AFTER_S (at least 1 s), in the background, and the kiosks due in the same turn of
 * the event loop in one transaction (a fleet starting together, whose nonces were claimed by one
 * statement, was an UPDATE per kiosk competing for the pool with its own first calls). The hot
 * path pays a Map lookup.
 *
 * The same write brings kiosks online: their rows are locked first, so of this write, another
 * replica's and the offline sweep one sees each transition, and it publishes machine.status-changed
 * `online` (preceded by the `offline` the sweep would have published, if the kiosk came back
 * before a sweep saw it silent) in the write's transaction.
 */
@Injectable()
export class KioskPresence implements OnApplicationShutdown {
  private readonly logger = new Logger('kiosk-presence');
  private readonly written = new Map<string, number>();
  private readonly everyMs: number;
  private readonly windowS: number;
  /** Seen and not written yet: machineNo → time seen. */
  private pending = new Map<string, number>();
  private timer?: NodeJS.Immediate;

  constructor(
    private readonly db: DataSource,
    config: CardIssuanceConfig,
    private readonly outbox: Outbox,
  ) {
    this.windowS = config.KIOSK_OFFLINE_AFTER_S;
    this.everyMs = Math.max(1000, (this.windowS * 1000) / 10);
  }

  seen(machineNo: string, now = Date.now()): void {
    const last = this.written.get(machineNo);
    if (last !== undefined && now - last < this.everyMs) return;
    if (this.written.size > 10_000) this.written.clear();
    this.written.set(machineNo, now);
    this.pending.set(machineNo, now);
    this.timer ??= setImmediate(() => void this.flush());
  }

  /** Writes the pending times in one transaction; resolves when written (or failed: they are tried again on the kiosks' next calls). */
  async flush(): Promise<void> {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    const machineNos = [...batch.keys()].sort();
    try {
      await this.db.transaction(async (manager) => {
        // Key order: concurrent writes lock alike.
        const before: Before[] = await manager.query(
          `SELECT machine_no, project_id, online_published AS online, last_seen_at FROM machine WHERE machine_no = ANY($1::text[]) ORDER BY machine_no FOR UPDATE`,
          [machineNos],
        );
        // A sighting no newer than the time recorded (another replica's, written first) brings nothing back.
        await manager.query(
          `UPDATE machine m SET last_seen_at = greatest(m.last_seen_at, to_timestamp(s.at / 1000.0)),
                  online_published = m.online_published OR m.last_seen_at IS NULL OR to_timestamp(s.at / 1000.0) > m.last_seen_at
             FROM unnest($1::text[], $2::float8[]) AS s(machine_no, at) WHERE m.machine_no = s.machine_no`,
          [machineNos, machineNos.map((n) => batch.get(n))],
        );
        await this.outbox.addMany(manager, Events.MachineStatusChanged, this.transitions(before, batch));
      });
    } catch (error) {
      // Only the online view is late; try again on each kiosk's next call.
      for (const machineNo of batch.keys()) this.written.delete(machineNo);
      this.logger.warn(`last seen of ${batch.size} machine(s) not recorded: ${(error as Error).message}`);
    }
  }

  /** What the UPDATE above changed, as events: rows locked before it, so exactly what it did. */
  private transitions(before: Before[], batch: Map<string, number>): MachineStatus[] {
    const events: MachineStatus[] = [];
    for (const row of before) {
      const at = batch.get(row.machine_no)!;
      if (row.last_seen_at !== null && at <= new Date(row.last_seen_at).getTime()) continue;
      if (row.online) {
        // Online as published: a change only if it had been silent past the window, which no sweep saw yet.
        const lapsedAt = row.last_seen_at === null ? undefined : wentOfflineAt(row.last_seen_at, this.windowS);
        if (lapsedAt === undefined || at < lapsedAt.getTime()) continue;
        events.push(machineStatus(row, 'offline', lapsedAt));
      }
      events.push(machineStatus(row, 'online', new Date(at)));
    }
    return events;
  }

  onApplicationShutdown(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
  }
}
