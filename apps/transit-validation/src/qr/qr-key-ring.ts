import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createPrivateKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { TransitValidationConfig } from '../config';
import { ChangeFeed } from '../core/change-feed';
import { TransitKeys } from '../core/keys';
import { publicKeyFromHex, publicKeyHex } from './qr-codec';
import { QrErrorCode } from './qr-errors';

interface GroupKey {
  keyId: number;
  publicHex: string;
  publicKey: KeyObject;
}

export interface KeyGroup {
  versionCode: number;
  retireAt: Date | null;
  keys: GroupKey[];
}

const REFRESH_MS = 60_000;

/**
 * QR key groups: Ed25519 key pairs under a version_code. The current group signs new codes; a
 * rotation retires it after a grace period (codes already issued, and validators that have not
 * fetched the new group yet, keep working until then). Public keys are cached here; private
 * keys are unsealed only when signing. Every replica follows changes on the change feed.
 */
@Injectable()
export class QrKeyRing implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('qr-keys');
  private groups: KeyGroup[] = [];
  /** Unix seconds of the latest retirement already past at the last refresh. */
  private retiredUpTo = 0;
  private readonly privateKeys = new Map<number, KeyObject>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly keys: TransitKeys,
    private readonly feed: ChangeFeed,
    private readonly config: TransitValidationConfig,
  ) {
    feed.on('qr', () => void this.refresh().catch((e) => this.logger.warn(`refresh failed: ${(e as Error).message}`)));
  }

  async onModuleInit(): Promise<void> {
    await this.db.transaction(async (manager) => {
      await this.lock(manager);
      const [current] = await manager.query(`SELECT 1 FROM qr_key_group WHERE retire_at IS NULL`);
      if (!current) await this.createGroup(manager, await this.nextVersion(manager));
    });
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  /** The current group's version_code: the group new codes are signed with. */
  get currentVersion(): number {
    return this.groups.find((g) => g.retireAt === null)?.versionCode ?? 0;
  }

  /**
   * Version of the key set validators must hold: the heartbeat's and get_qrcode_keys'
   * `version_code`. It moves when a group is created and again when a group's grace period
   * ends, so a validator that fetched both groups during the grace period fetches again and
   * stops accepting the retired group's codes offline. Group versions and retirement times are
   * both unix seconds, so the later of the two is one increasing number.
   */
  keySetVersion(now = new Date()): number {
    let version = Math.max(this.currentVersion, this.retiredUpTo);
    for (const g of this.groups) if (g.retireAt !== null && g.retireAt <= now) version = Math.max(version, Math.floor(g.retireAt.getTime() / 1000));
    return version;
  }

  /** Groups a validator must hold now: the current one first, then those in their grace period. */
  validGroups(now = new Date()): KeyGroup[] {
    return this.groups.filter((g) => g.retireAt === null || g.retireAt > now);
  }

  async refresh(): Promise<void> {
    const rows: Array<{ version_code: string; retire_at: Date | null; key_id: number; public_key: string }> = await this.db.query(
      `SELECT g.version_code, g.retire_at, k.key_id, k.public_key FROM qr_key_group g JOIN qr_key k USING (version_code)
        WHERE g.retire_at IS NULL OR g.retire_at > now() ORDER BY g.retire_at DESC NULLS FIRST, g.version_code DESC, k.key_id`,
    );
    const groups = new Map<number, KeyGroup>();
    for (const r of rows) {
      const v = Number(r.version_code);
      let g = groups.get(v);
      if (!g) groups.set(v, (g = { versionCode: v, retireAt: r.retire_at ? new Date(r.retire_at) : null, keys: [] }));
      g.keys.push({ keyId: r.key_id, publicHex: r.public_key, publicKey: publicKeyFromHex(r.public_key) });
    }
    const [{ retired }] = await this.db.query(`SELECT coalesce(floor(extract(epoch FROM max(retire_at))), 0)::bigint AS retired FROM qr_key_group WHERE retire_at <= now()`);
    this.groups = [...groups.values()];
    this.retiredUpTo = Number(retired);
  }

  /** A random key of the current group, to sign a new code with. */
  async signer(): Promise<{ versionCode: number; keyId: number; privateKey: KeyObject }> {
    const current = this.groups.find((g) => g.retireAt === null);
    if (!current || current.keys.length === 0) throw new AppError(ErrorKind.UNAVAILABLE, QrErrorCode.NO_KEY_GROUP, 'no current QR key group; rotate to create one');
    const key = current.keys[Math.floor(Math.random() * current.keys.length)];
    let privateKey = this.privateKeys.get(key.keyId);
    if (!privateKey) {
      const [row] = await this.db.query(`SELECT private_key_sealed FROM qr_key WHERE key_id = $1`, [key.keyId]);
      privateKey = createPrivateKey({ key: Buffer.from(this.keys.secretBox.open(row.private_key_sealed), 'base64'), format: 'der', type: 'pkcs8' });
      this.privateKeys.set(key.keyId, privateKey);
    }
    return { versionCode: current.versionCode, keyId: key.keyId, privateKey };
  }

  /**
   * The public key a code names, if its group was valid at `at`; looked up in the database
   * when this replica does not hold it (a group just created elsewhere, or retired since).
   */
  async publicKey(versionCode: number, keyId: number, at: Date): Promise<KeyObject | undefined> {
    const group = this.groups.find((g) => g.versionCode === versionCode);
    let key = group?.keys.find((k) => k.keyId === keyId);
    let retireAt = group?.retireAt ?? null;
    if (!key) {
      const [row] = await this.db.query(
        `SELECT k.public_key, g.retire_at FROM qr_key k JOIN qr_key_group g USING (version_code) WHERE k.key_id = $1 AND k.version_code = $2`,
        [keyId, versionCode],
      );
      if (!row) return undefined;
      key = { keyId, publicHex: row.public_key, publicKey: publicKeyFromHex(row.public_key) };
      retireAt = row.retire_at ? new Date(row.retire_at) : null;
    }
    if (retireAt !== null && at >= retireAt) return undefined;
    return key.publicKey;
  }

  /** A new current group; the previous one stays valid for `graceSeconds`. */
  async rotate(graceSeconds = this.config.TRANSIT_QR_GRACE_S): Promise<{ version_code: number; previous_version_code: number | null; previous_retire_at: Date | null }> {
    const result = await this.db.transaction(async (manager) => {
      await this.lock(manager);
      const versionCode = await this.nextVersion(manager);
      // A grace period must end in a later second than the new group's version_code, or the key
      // set's version (the later of the two, keySetVersion) would not move when it ends and
      // validators would keep the retired keys: version_code runs ahead of the clock when groups are
      // made within a second, so a grace is `graceSeconds` or up to a second more. No grace retires
      // at once (a leaked key): the new group's version_code alone moves the key set's version.
      // TypeORM answers an UPDATE with [rows, rowCount].
      const [[previous]] = await manager.query(
        `UPDATE qr_key_group SET retire_at = CASE WHEN $1::float8 > 0 THEN greatest(now() + make_interval(secs => $1::float8), to_timestamp($2::bigint + 1)) ELSE now() END
          WHERE retire_at IS NULL RETURNING version_code, retire_at`,
        [graceSeconds, versionCode],
      );
      // After the UPDATE: one current group at a time (qr_key_group_current).
      await this.createGroup(manager, versionCode);
      await this.feed.notify(manager, 'qr');
      return {
        version_code: versionCode,
        previous_version_code: previous ? Number(previous.version_code) : null,
        previous_retire_at: previous ? new Date(previous.retire_at) : null,
      };
    });
    await this.refresh();
    return result;
  }

  private async lock(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.qr_key_group'))`);
  }

  /**
   * version_code: unix seconds of creation (as the document's example), strictly increasing, and
   * past every retirement's second, which keySetVersion also counts: a key set made in the second
   * a grace period ended must not carry the version validators already hold.
   */
  private async nextVersion(manager: EntityManager): Promise<number> {
    const [{ v }] = await manager.query(
      `SELECT greatest(floor(extract(epoch FROM now()))::bigint, coalesce(max(version_code), 0) + 1,
                       coalesce(floor(extract(epoch FROM max(retire_at) FILTER (WHERE retire_at <= now())))::bigint + 1, 0)) AS v
         FROM qr_key_group`,
    );
    return Number(v);
  }

  private async createGroup(manager: EntityManager, versionCode: number): Promise<void> {
    await manager.query(`INSERT INTO qr_key_group (version_code) VALUES ($1)`, [versionCode]);
    for (let i = 0; i < this.config.TRANSIT_QR_KEYS_PER_GROUP; i++) {
      const pair = generateKeyPairSync('ed25519');
      const sealed = this.keys.secretBox.seal((pair.privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64'));
      await manager.query(`INSERT INTO qr_key (version_code, public_key, private_key_sealed) VALUES ($1, $2, $3)`, [versionCode, publicKeyHex(pair.publicKey), sealed]);
    }
    this.logger.log(`QR key group ${versionCode} created`);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
