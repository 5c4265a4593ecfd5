import { Injectable } from '@nestjs/common';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { FastifyRequest } from 'fastify';
import { CampusCardConfig } from '../config';
import { OAuthModel } from './oauth-model';

/** The library's server, configured from the environment, and its request/response adapters. */
@Injectable()
export class OAuthServer {
  readonly server: OAuth2Server;

  constructor(model: OAuthModel, config: CampusCardConfig) {
    this.server = new OAuth2Server({
      model,
      // The document passes tokens as ?access_token=; a Bearer header works as well.
      allowBearerTokensInQueryString: true,
      addAcceptedScopesHeader: false,
      addAuthorizedScopesHeader: false,
      authorizationCodeLifetime: config.OAUTH_CODE_SECONDS,
      accessTokenLifetime: config.OAUTH_ACCESS_TOKEN_SECONDS,
      refreshTokenLifetime: config.OAUTH_REFRESH_TOKEN_SECONDS,
      // State is RECOMMENDED by RFC 6749, not required; it is echoed when given.
      allowEmptyState: true,
    });
  }

  /** The library's view of a Fastify request (its own Request class, as it insists). */
  static request(request: FastifyRequest, body: unknown = request.body): OAuth2Server.Request {
    return new OAuth2Server.Request({
      method: request.method,
      headers: request.headers as Record<string, string>,
      query: { ...(request.query as Record<string, string>) },
      body: body && typeof body === 'object' ? body : {},
    });
  }
}
