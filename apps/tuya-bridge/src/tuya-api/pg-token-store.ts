import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { hmacSha256Hex, SecretBox } from '@onecard/platform';
import { SharedTokenStore, TuyaToken } from './tuya-tokens';

interface TokenRow {
  access_token: string;
  obtained_at: Date;
  expires_at: Date;
}

/**
 * The access token in Postgres, shared by the replicas (one row per client id), sealed with
 * AES-256-GCM under a key derived from the client secret: whoever can read the table still needs
 * the secret. A row sealed under another secret (it was rotated) reads as no token.
 */
export class PgTokenStore implements SharedTokenStore {
  private readonly logger = new Logger('tuya-tokens');
  private readonly box: SecretBox;

  constructor(
    private readonly db: DataSource,
    private readonly clientId: string,
    clientSecret: string,
  ) {
    this.box = new SecretBox(hmacSha256Hex(clientSecret, 'onecard tuya-bridge: token store key'));
  }

  read(): Promise<TuyaToken | undefined> {
    return this.load(this.db.manager);
  }

  exclusive(work: (held: TuyaToken | undefined, save: (token: TuyaToken) => Promise<void>) => Promise<TuyaToken>): Promise<TuyaToken> {
    return this.db.transaction(async (manager) => {
      // One renewal at a time across replicas; the lock ends with the transaction.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':tuya-token', 0))`);
      return work(await this.load(manager), (token) => this.save(manager, token));
    });
  }

  private async load(manager: EntityManager): Promise<TuyaToken | undefined> {
    const rows: TokenRow[] = await manager.query(`SELECT access_token, obtained_at, expires_at FROM tuya_token WHERE client_id = $1`, [this.clientId]);
    if (rows.length === 0) return undefined;
    try {
      return { accessToken: this.box.open(rows[0].access_token), obtainedAt: rows[0].obtained_at.getTime(), expiresAt: rows[0].expires_at.getTime() };
    } catch {
      this.logger.warn('the stored Tuya token was sealed under another client secret: ignored');
      return undefined;
    }
  }

  private async save(manager: EntityManager, token: TuyaToken): Promise<void> {
    await manager.query(
      `INSERT INTO tuya_token (client_id, access_token, obtained_at, expires_at) VALUES ($1, $2, to_timestamp($3 / 1000.0), to_timestamp($4 / 1000.0))
       ON CONFLICT (client_id) DO UPDATE SET access_token = EXCLUDED.access_token, obtained_at = EXCLUDED.obtained_at, expires_at = EXCLUDED.expires_at`,
      [this.clientId, this.box.seal(token.accessToken), token.obtainedAt, token.expiresAt],
    );
  }
}
