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
  loadedAt: number;
}

/**
 * Kiosk secrets and status, read from the database and kept for MACHINE_CACHE_MS so the hot
 * path does not query or decrypt per request. A cache only: this replica forgets an entry as
 * soon as it changes it; other replicas see a change within MACHINE_CACHE_MS.
 */
@Injectable()
export class MachineCredentials {
  private readonly logger = new Logger('machine-credentials');
  private readonly cache = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<Cached | undefined>>();

  constructor(
    private readonly db: DataSource,
    private readonly secrets: MachineSecrets,
    private readonly config: CardIssuanceConfig,
  ) {}

  async get(machineNo: string): Promise<(KioskIdentity & { secret: string }) | undefined> {
    const hit = this.cache.get(machineNo);
    if (hit && Date.now() - hit.loadedAt < this.config.MACHINE_CACHE_MS) return hit;
    let pending = this.loading.get(machineNo);
    if (!pending) {
      pending = this.load(machineNo).finally(() => this.loading.delete(machineNo));
      this.loading.set(machineNo, pending);
    }
    return pending;
  }

  forget(machineNo: string): void {
    this.cache.delete(machineNo);
  }

  private async load(machineNo: string): Promise<Cached | undefined> {
    const rows: Array<{ project_id: string; status: number; secret_sealed: string }> = await this.db.query(
      `SELECT project_id, status, secret_sealed FROM machine WHERE machine_no = $1`,
      [machineNo],
    );
    if (rows.length === 0) {
      this.cache.delete(machineNo);
      return undefined;
    }
    const row = rows[0];
    let secret: string;
    try {
      secret = this.secrets.open(row.secret_sealed);
    } catch (error) {
      this.logger.error(`machine ${machineNo}: its secret cannot be unsealed (was MACHINE_SECRET_KEY changed?): ${(error as Error).message}`);
      throw error;
    }
    const entry: Cached = { machineNo, projectId: row.project_id, status: Number(row.status), secret, loadedAt: Date.now() };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(machineNo, entry);
    return entry;
  }
}
