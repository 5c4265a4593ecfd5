import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiQuery } from '@nestjs/swagger';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorKind } from '@onecard/kernel';
import type { AccessToken } from './oauth-model';
import { OAuthErrorCode } from './oauth.errors';
import { OAuthServer } from './oauth-server';
import type { Scope, TokenGrant } from './scopes';

const API_CALL = 'campus-card:api-call';

/** What a documented call demands of its token, as the document states it. */
export interface ApiCallRule {
  /** Any one of these scopes. */
  scopes: Scope[];
  /** authorization_code: a cardholder's token (refreshes of it included); client_credentials: the client's own. */
  grant: TokenGrant;
  /** Open only to clients registered with allowTransfer (the document's 交我办 App). */
  transferClientsOnly?: boolean;
}

/** Who is calling: the client, the cardholder (authorization code tokens) and the granted scopes. */
export interface Caller {
  clientId: string;
  /** Set for authorization-code tokens only. */
  userCode?: string;
  scopes: string[];
}

type CallerRequest = FastifyRequest & { caller?: Caller };

const GRANT_WORDS: Record<TokenGrant, string> = {
  authorization_code: 'a token from the authorization code grant',
  client_credentials: 'a token from the client credentials grant',
};

/** A documented call: token rule, guard and its /docs entry. */
export function ApiCall(rule: ApiCallRule): MethodDecorator {
  return applyDecorators(
    SetMetadata(API_CALL, rule),
    UseGuards(ApiTokenGuard),
    ApiBearerAuth(),
    ApiQuery({ name: 'access_token', required: false, description: `or Authorization: Bearer; ${GRANT_WORDS[rule.grant]}, scope ${rule.scopes.join(' or ')}` }),
  );
}

/** The caller the token guard established. */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<CallerRequest>().caller;
  if (!caller) throw new Error('CurrentCaller used on a route without @ApiCall');
  return caller;
});

/** A cardholder call's user code (authorization-code tokens always carry one). */
export function cardholderOf(caller: Caller): string {
  if (!caller.userCode) throw new Error('cardholder call without a cardholder token');
  return caller.userCode;
}

/**
 * Checks the token with the OAuth2 library (query `access_token` or `Authorization: Bearer`, one
 * of the route's scopes), then what the library cannot know: the grant the document demands and
 * the transfer-permitted clients. Failures answer in the card API's envelope: 401 no or bad
 * token, 403 token not good for this call (with the library's WWW-Authenticate header).
 *
 * The document passes parameters in the query (GET, and its PUT example) or a form body (POST);
 * handlers read them as one set: query and body merged into `@Body()`, the token left out.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly oauth: OAuthServer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.get<ApiCallRule>(API_CALL, context.getHandler());
    const http = context.switchToHttp();
    const request = http.getRequest<CallerRequest>();
    const response = new OAuth2Server.Response();
    let token: AccessToken;
    try {
      token = (await this.oauth.server.authenticate(OAuthServer.request(request), response, { scope: rule.scopes })) as AccessToken;
    } catch (error) {
      const header = response.get('www-authenticate');
      if (header) void http.getResponse<FastifyReply>().header('www-authenticate', header);
      throw this.refusal(error, rule);
    }
    if (token.grant !== rule.grant) {
      throw new AppError(ErrorKind.FORBIDDEN, OAuthErrorCode.WRONG_GRANT, `access_token: this call needs ${GRANT_WORDS[rule.grant]}`, 'access_token');
    }
    if (rule.transferClientsOnly && !token.client.allowTransfer) {
      throw new AppError(ErrorKind.FORBIDDEN, OAuthErrorCode.CLIENT_NOT_PERMITTED, 'access_token: this call is open only to clients permitted to transfer balances', 'access_token');
    }
    request.caller = { clientId: token.client.id, userCode: 'userCode' in token.user ? token.user.userCode : undefined, scopes: token.scope };
    request.body = mergeParameters(request.query, request.body);
    return true;
  }

  private refusal(error: unknown, rule: ApiCallRule): unknown {
    if (error instanceof OAuth2Server.InsufficientScopeError) {
      return new AppError(ErrorKind.FORBIDDEN, OAuthErrorCode.SCOPE_MISSING, `access_token: scope ${rule.scopes.join(' or ')} required`, 'access_token');
    }
    if (error instanceof OAuth2Server.UnauthorizedRequestError) {
      return new AppError(ErrorKind.UNAUTHENTICATED, OAuthErrorCode.TOKEN_MISSING, 'access_token: required (query parameter access_token or Authorization: Bearer)', 'access_token');
    }
    if (error instanceof OAuth2Server.InvalidTokenError) {
      return new AppError(ErrorKind.UNAUTHENTICATED, OAuthErrorCode.TOKEN_INVALID, 'access_token: invalid or expired', 'access_token');
    }
    if (error instanceof OAuth2Server.InvalidRequestError) {
      // Two tokens at once, a malformed header, a token in a body that is not a form.
      return new AppError(ErrorKind.UNAUTHENTICATED, OAuthErrorCode.TOKEN_INVALID, `access_token: ${error.message.replace(/^Invalid request: /, '')}`, 'access_token');
    }
    return error;
  }
}

/** Query and body as one parameter set (body wins); null when the body is something else (left for the pipe to refuse). */
function mergeParameters(query: unknown, body: unknown): unknown {
  const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (body !== undefined && body !== null && !isPlain(body)) return body;
  const merged: Record<string, unknown> = { ...(isPlain(query) ? query : {}), ...(isPlain(body) ? body : {}) };
  delete merged.access_token;
  return merged;
}
