import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WageKeys } from '../common/wage-keys';
import { WageAttendanceConfig } from '../config';

/** What the signature check needs to know about a terminal. */
export interface TerminalIdentity {
  deviceKey: string;
  /** The document's device state: 1 unbound, 2 bound, 3 disabled. */
  state: number;
}

interface Cached extends TerminalIdentity {
  secret: string;
  loadedAt: number;
}

/**
 * Terminal secrets and states, read from the database and kept for TERMINAL_CACHE_MS so the hot
 * path (identify) neither queries nor decrypts per request. A cache only: this replica forgets an
 * entry as soon as it changes it; other replicas see a change within TERMINAL_CACHE_MS.
 */
@Injectable()
export class TerminalCredentials {
  private readonly logger = new Logger('terminal-credentials');
  private readonly cache = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<Cached | undefined>>();

  constructor(
    private readonly db: DataSource,
    private readonly keys: WageKeys,
    private readonly config: WageAttendanceConfig,
  ) {}

  async get(deviceKey: string): Promise<(TerminalIdentity & { secret: string }) | undefined> {
    const hit = this.cache.get(deviceKey);
    if (hit && Date.now() - hit.loadedAt < this.config.TERMINAL_CACHE_MS) return hit;
    let pending = this.loading.get(deviceKey);
    if (!pending) {
      pending = this.load(deviceKey).finally(() => this.loading.delete(deviceKey));
      this.loading.set(deviceKey, pending);
    }
    return pending;
  }

  forget(deviceKey: string): void {
    this.cache.delete(deviceKey);
  }

  /** A terminal's first signed call binds it (state 1 → 2): keep the cache in step. */
  noteBound(deviceKey: string): void {
    const hit = this.cache.get(deviceKey);
    if (hit && hit.state === 1) hit.state = 2;
  }

  private async load(deviceKey: string): Promise<Cached | undefined> {
    const rows: Array<{ state: number; secret_sealed: string }> = await this.db.query(`SELECT state, secret_sealed FROM device WHERE device_key = $1`, [deviceKey]);
    if (rows.length === 0) {
      this.cache.delete(deviceKey);
      return undefined;
    }
    let secret: string;
    try {
      secret = this.keys.terminalSecrets.open(rows[0].secret_sealed);
    } catch (error) {
      this.logger.error(`terminal ${deviceKey}: its secret cannot be unsealed (was TERMINAL_SECRET_KEY changed?): ${(error as Error).message}`);
      throw error;
    }
    const entry: Cached = { deviceKey, state: Number(rows[0].state), secret, loadedAt: Date.now() };
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(deviceKey, entry);
    return entry;
  }
}
