import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, ErrorKind } from '@onecard/kernel';
import { adminPage, AdminPage, hashSecret, PageWindow } from '@onecard/platform';
import { isUniqueViolation, wireTime } from '../common/wire-format';
import { CampusCardConfig } from '../config';
import { CreateClientDto } from './dto/client-admin.dto';
import { OAuthErrorCode } from './oauth.errors';
import { AccessTokenCache } from './token-cache';

/** Operators register OAuth2 clients: their grants, scopes, redirect URIs and transfer permission. */
@Injectable()
export class ClientsService {
  constructor(
    private readonly db: DataSource,
    private readonly config: CampusCardConfig,
    private readonly recent: AccessTokenCache,
  ) {}

  async create(dto: CreateClientDto): Promise<object> {
    const secretHash = await hashSecret(dto.clientSecret);
    try {
      await this.db.query(
        `INSERT INTO oauth_client (client_id, secret_hash, redirect_uris, scopes, grants, allow_transfer) VALUES ($1, $2, $3, $4, $5, $6)`,
        [dto.clientId, secretHash, dto.redirectUris ?? [], dto.scopes, dto.grants, dto.allowTransfer ?? false],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(ErrorKind.CONFLICT, OAuthErrorCode.CLIENT_EXISTS, `clientId: client ${dto.clientId} already exists`, 'clientId');
      throw error;
    }
    return this.get(dto.clientId);
  }

  /** In clientId order. */
  async list(window: PageWindow): Promise<AdminPage<object>> {
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM oauth_client`);
    const rows = await this.db.query(`SELECT * FROM oauth_client ORDER BY client_id LIMIT $1 OFFSET $2`, [window.limit, window.offset]);
    return adminPage(window, total, rows.map((r: Record<string, unknown>) => this.view(r)));
  }

  async get(clientId: string): Promise<object> {
    const [row] = await this.db.query(`SELECT * FROM oauth_client WHERE client_id = $1`, [clientId]);
    if (!row) throw this.notFound(clientId);
    return this.view(row);
  }

  /** Removes the client; its codes and tokens go with it (they stop working at once). */
  async remove(clientId: string): Promise<void> {
    const [, count] = await this.db.query(`DELETE FROM oauth_client WHERE client_id = $1`, [clientId]);
    if (count === 0) throw this.notFound(clientId);
    this.recent.forgetAll();
  }

  private view(row: Record<string, unknown>): object {
    return {
      clientId: row.client_id,
      redirectUris: row.redirect_uris,
      scopes: row.scopes,
      grants: row.grants,
      allowTransfer: row.allow_transfer,
      createdAt: wireTime(row.created_at as Date, this.config.WIRE_TIME_ZONE),
    };
  }

  private notFound(clientId: string): AppError {
    return new AppError(ErrorKind.NOT_FOUND, OAuthErrorCode.CLIENT_NOT_FOUND, `clientId: no client ${clientId}`, 'clientId');
  }
}
