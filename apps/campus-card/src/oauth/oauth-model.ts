import { Injectable } from '@nestjs/common';
import type OAuth2Server from '@node-oauth/oauth2-server';
import { DataSource } from 'typeorm';
import { verifySecret } from '@onecard/platform';
import { SCOPES, TokenGrant } from './scopes';
import { AccessTokenCache } from './token-cache';
import { tokenHash } from './token-hash';

/** The client as the library and our guard see it. */
export interface OAuthClient extends OAuth2Server.Client {
  id: string;
  redirectUris: string[];
  grants: string[];
  scopes: string[];
  allowTransfer: boolean;
}

/** A token's owner: a cardholder (authorization code) or, for client credentials, the client itself. */
export type TokenOwner = { userCode: string } | { clientCredentials: true; clientId: string };

export interface AccessToken extends OAuth2Server.Token {
  client: OAuthClient;
  user: TokenOwner;
  scope: string[];
  grant: TokenGrant;
}

interface ClientRow {
  client_id: string;
  secret_hash: string;
  redirect_uris: string[];
  scopes: string[];
  grants: string[];
  allow_transfer: boolean;
}

const toClient = (row: ClientRow): OAuthClient => ({
  id: row.client_id,
  redirectUris: row.redirect_uris,
  grants: row.grants,
  scopes: row.scopes,
  allowTransfer: row.allow_transfer,
});

const isCardholder = (owner: OAuth2Server.User): owner is { userCode: string } => typeof owner.userCode === 'string';

/**
 * @node-oauth/oauth2-server's model over Postgres. The library runs the grants (authorization
 * code, client credentials, refresh token) and token extraction; this stores and finds what they
 * need. Client secrets are scrypt hashes; codes and tokens are stored as their SHA-256 only.
 * Codes and refresh tokens are taken with `DELETE … RETURNING`, so of two requests racing with
 * the same one, exactly one wins (single use, also across replicas).
 */
@Injectable()
export class OAuthModel
  implements OAuth2Server.AuthorizationCodeModel, OAuth2Server.ClientCredentialsModel, OAuth2Server.RefreshTokenModel
{
  constructor(
    private readonly db: DataSource,
    private readonly recent: AccessTokenCache,
  ) {}

  /**
   * `clientSecret` null: the authorization endpoint asking who the client is (no secret there);
   * anything else must verify. There are no public clients: a token request without a secret
   * (the library lets PKCE requests omit it) is refused.
   */
  async getClient(clientId: string, clientSecret: string | null): Promise<OAuthClient | false> {
    const [row]: ClientRow[] = await this.db.query(`SELECT * FROM oauth_client WHERE client_id = $1`, [clientId]);
    if (!row) return false;
    if (clientSecret === null) return toClient(row);
    if (typeof clientSecret !== 'string' || !(await verifySecret(clientSecret, row.secret_hash))) return false;
    return toClient(row);
  }

  async saveToken(token: OAuth2Server.Token, client: OAuthClient, user: TokenOwner): Promise<AccessToken> {
    const grant: TokenGrant = isCardholder(user) ? 'authorization_code' : 'client_credentials';
    await this.db.query(
      `INSERT INTO oauth_token (access_hash, refresh_hash, client_id, user_code, grant_type, scopes, access_expires_at, refresh_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        tokenHash(token.accessToken),
        token.refreshToken ? tokenHash(token.refreshToken) : null,
        client.id,
        isCardholder(user) ? user.userCode : null,
        grant,
        token.scope ?? [],
        token.accessTokenExpiresAt,
        token.refreshToken ? token.refreshTokenExpiresAt : null,
      ],
    );
    return { ...token, scope: token.scope ?? [], client, user, grant };
  }

  async getAccessToken(accessToken: string): Promise<AccessToken | false> {
    const hash = tokenHash(accessToken);
    const known = this.recent.get(hash);
    if (known) return known;
    const lookedUpAt = Date.now();
    const [row] = await this.db.query(
      `SELECT t.client_id, t.user_code, t.grant_type, t.scopes, t.access_expires_at, c.allow_transfer
         FROM oauth_token t JOIN oauth_client c USING (client_id) WHERE t.access_hash = $1`,
      [hash],
    );
    if (!row) return false;
    const token: AccessToken = {
      accessToken,
      accessTokenExpiresAt: row.access_expires_at,
      scope: row.scopes,
      client: { id: row.client_id, redirectUris: [], grants: [], scopes: [], allowTransfer: row.allow_transfer },
      user: row.user_code ? { userCode: row.user_code } : { clientCredentials: true, clientId: row.client_id },
      grant: row.grant_type,
    };
    this.recent.set(hash, token, lookedUpAt);
    return token;
  }

  /** Any one of the route's scopes will do (the document lists alternatives, e.g. manage_card or card_info). */
  async verifyScope(token: OAuth2Server.Token, scope: string[]): Promise<boolean> {
    return scope.some((s) => token.scope?.includes(s));
  }

  /** No scope asked: everything the client is registered for. Otherwise only known scopes the client holds. */
  async validateScope(_user: OAuth2Server.User, client: OAuthClient, scope?: string[]): Promise<string[] | false> {
    if (!scope || scope.length === 0) return client.scopes;
    const known = new Set<string>(SCOPES);
    return scope.every((s) => known.has(s) && client.scopes.includes(s)) ? [...new Set(scope)] : false;
  }

  async validateRedirectUri(redirectUri: string, client: OAuthClient): Promise<boolean> {
    return client.redirectUris.includes(redirectUri);
  }

  async getUserFromClient(client: OAuthClient): Promise<TokenOwner> {
    return { clientCredentials: true, clientId: client.id };
  }

  async saveAuthorizationCode(
    code: Pick<OAuth2Server.AuthorizationCode, 'authorizationCode' | 'expiresAt' | 'redirectUri' | 'scope' | 'codeChallenge' | 'codeChallengeMethod'>,
    client: OAuthClient,
    user: { userCode: string },
  ): Promise<OAuth2Server.AuthorizationCode> {
    await this.db.query(
      `INSERT INTO oauth_code (code_hash, client_id, user_code, redirect_uri, scopes, code_challenge, code_challenge_method, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [tokenHash(code.authorizationCode), client.id, user.userCode, code.redirectUri ?? null, code.scope ?? [], code.codeChallenge ?? null, code.codeChallengeMethod ?? null, code.expiresAt],
    );
    return { ...code, client, user };
  }

  async getAuthorizationCode(authorizationCode: string): Promise<OAuth2Server.AuthorizationCode | false> {
    const [row] = await this.db.query(`SELECT * FROM oauth_code WHERE code_hash = $1`, [tokenHash(authorizationCode)]);
    if (!row) return false;
    return {
      authorizationCode,
      expiresAt: row.expires_at,
      redirectUri: row.redirect_uri ?? undefined,
      scope: row.scopes,
      client: { id: row.client_id, grants: [] },
      user: { userCode: row.user_code },
      codeChallenge: row.code_challenge ?? undefined,
      codeChallengeMethod: row.code_challenge_method ?? undefined,
    };
  }

  async revokeAuthorizationCode(code: OAuth2Server.AuthorizationCode): Promise<boolean> {
    const [, count]: [unknown, number] = await this.db.query(`DELETE FROM oauth_code WHERE code_hash = $1`, [tokenHash(code.authorizationCode)]);
    return count === 1;
  }

  async getRefreshToken(refreshToken: string): Promise<OAuth2Server.RefreshToken | false> {
    const [row] = await this.db.query(
      `SELECT client_id, user_code, scopes, refresh_expires_at FROM oauth_token WHERE refresh_hash = $1 AND user_code IS NOT NULL`,
      [tokenHash(refreshToken)],
    );
    if (!row) return false;
    return { refreshToken, refreshTokenExpiresAt: row.refresh_expires_at, scope: row.scopes, client: { id: row.client_id, grants: [] }, user: { userCode: row.user_code } };
  }

  /** A refresh retires the whole pair: the old access token stops working with it. */
  async revokeToken(token: OAuth2Server.RefreshToken): Promise<boolean> {
    const [retired]: [Array<{ access_hash: string }>, number] = await this.db.query(`DELETE FROM oauth_token WHERE refresh_hash = $1 RETURNING access_hash`, [tokenHash(token.refreshToken)]);
    this.recent.forget(retired.map((r) => r.access_hash));
    return retired.length === 1;
  }
}
