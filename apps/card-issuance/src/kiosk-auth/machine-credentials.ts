import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CardIssuanceConfig } from '../config';
import { MachineSecrets } from './machine-secrets';

/** What the signature check needs to know about a kiosk. */
export interface KioskIdentity {
  machineNo: string;
  projectId: string;
  /** 1 enabled, 2 disabled. */
  status: number;
}

interface Cached extends KioskIdentity {
  secret: string;
  /** The secret as stored: a reload finding the same one skips opening it again. */
  sealed: string;
  loadedAt: number;
}

interface Load {
  machineNo: string;
  /** The machine's `forget` count when the load was asked for: a load older than a forget is not cached. */
  epoch: number;
  resolve(entry: Cached | undefined): void;
  reject(error: unknown): void;
}

/**
 * Kiosk secrets and status, read from the database and kept for MACHINE_CACHE_MS so the hot
 * path does not query or decrypt per request. A cache only: this replica forgets an entry as
 * soon as it changes it; other replicas see a change within MACHINE_CACHE_MS.
 *
 * Kiosks that keep calling never wait for a reload: once an entry is past half its time, the
 * entries in use are read again in the background, together (refreshInUse), while they still
 * answer. Reads asked for in the same turn of the event loop are one statement: a fleet starting
 * together costs one query, not one per kiosk.
 */
@Injectable()
export class MachineCredentials {
  private readonly logger = new Logger('machine-credentials');
  private readonly cache = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<Cached | undefined>>();
  private readonly epochs = new Map<string, number>();
  private queued: Load[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly secrets: MachineSecrets,
    private readonly config: CardIssuanceConfig,
  ) {}

  async get(machineNo: string): Promise<(KioskIdentity & { secret: string }) | undefined> {
    const hit = this.cache.get(machineNo);
    const age = hit ? Date.now() - hit.loadedAt : Infinity;
    if (hit && age < this.config.MACHINE_CACHE_MS) {
      if (age >= this.config.MACHINE_CACHE_MS / 2 && !this.loading.has(machineNo)) this.refreshInUse();
      return hit;
    }
    return this.load(machineNo);
  }

  /**
   * Reads again, in the background and in one statement, every entry past a quarter of its time
   * and still valid (kiosks calling now and then; an entry left to expire is read on its next
   * call): entries read together come due together, one statement per half MACHINE_CACHE_MS.
   */
  private refreshInUse(): void {
    const now = Date.now();
    for (const [machineNo, entry] of this.cache) {
      const age = now - entry.loadedAt;
      if (age >= this.config.MACHINE_CACHE_MS / 4 && age < this.config.MACHINE_CACHE_MS) this.load(machineNo).catch(() => undefined);
    }
  }

  forget(machineNo: string): void {
    this.cache.delete(machineNo);
    this.loading.delete(machineNo);
    this.epochs.set(machineNo, (this.epochs.get(machineNo) ?? 0) + 1);
  }

  /** The machine read again (with whatever else was asked for in this turn); one at a time per machine. */
  private load(machineNo: string): Promise<Cached | undefined> {
    let pending = this.loading.get(machineNo);
    if (!pending) {
      pending = new Promise<Cached | undefined>((resolve, reject) => {
        if (this.queued.length === 0) setImmediate(() => void this.readQueued());
        this.queued.push({ machineNo, epoch: this.epochs.get(machineNo) ?? 0, resolve, reject });
      });
      const settled = pending;
      this.loading.set(machineNo, settled);
      settled.then(
        () => this.loading.get(machineNo) === settled && this.loading.delete(machineNo),
        () => this.loading.get(machineNo) === settled && this.loading.delete(machineNo),
      );
    }
    return pending;
  }

  private async readQueued(): Promise<void> {
    const loads = this.queued;
    this.queued = [];
    let rows: Array<{ machine_no: string; project_id: string; status: number; secret_sealed: string }>;
    try {
      rows = await this.db.query(`SELECT machine_no, project_id, status, secret_sealed FROM machine WHERE machine_no = ANY($1::text[])`, [loads.map((l) => l.machineNo)]);
    } catch (error) {
      for (const l of loads) l.reject(error);
      return;
    }
    const found = new Map(rows.map((r) => [r.machine_no, r]));
    for (const l of loads) {
      const row = found.get(l.machineNo);
      const current = (this.epochs.get(l.machineNo) ?? 0) === l.epoch;
      if (!row) {
        if (current) this.cache.delete(l.machineNo);
        l.resolve(undefined);
        continue;
      }
      const before = this.cache.get(l.machineNo);
      let secret: string;
      try {
        secret = before?.sealed === row.secret_sealed ? before.secret : this.secrets.open(row.secret_sealed);
      } catch (error) {
        this.logger.error(`machine ${l.machineNo}: its secret cannot be unsealed (was MACHINE_SECRET_KEY changed?): ${(error as Error).message}`);
        l.reject(error);
        continue;
      }
      const entry: Cached = { machineNo: l.machineNo, projectId: row.project_id, status: Number(row.status), secret, sealed: row.secret_sealed, loadedAt: Date.now() };
      if (current) {
        if (this.cache.size > 10_000) this.cache.clear();
        this.cache.set(l.machineNo, entry);
      }
      l.resolve(entry);
    }
  }
}
