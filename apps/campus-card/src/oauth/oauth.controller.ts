import { Controller, Get, HttpCode, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AnswerWith } from '@onecard/platform';
import { USER_CODE } from '../common/validators';
import { OAuthEnvelope } from '../wire/oauth-envelope';
import { UsersService } from '../users/users.service';
import { errorPage, loginPage } from './login-page';
import { OAuthClient, OAuthModel } from './oauth-model';
import { OAuthServer } from './oauth-server';

/** A login that did not succeed: no code, the form again. */
class LoginFailed extends Error {
  /** Set when the login is locked after repeated wrong passwords (wire time). */
  constructor(readonly lockedUntil?: string) {
    super('login failed');
  }
}

const LOGIN_FAILED = '学工号或密码错误 (wrong user code or password)';
const loginLocked = (until: string) => `密码错误次数过多，账号锁定至 ${until} (too many wrong passwords: locked until ${until})`;

type Params = Record<string, unknown>;
const params = (value: unknown): Params => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Params) : {});

/**
 * The OAuth2 server's endpoints (RFC 6749), run by @node-oauth/oauth2-server:
 * - GET /oauth/authorize: a login form for a person in a browser;
 * - POST /oauth/authorize (form: response_type=code, client_id, redirect_uri, scope, state,
 *   username, password): 302 to redirect_uri?code=…&state=…; a wrong password gets the form again
 *   and no code; an unknown client or unregistered redirect_uri an error page (never a redirect);
 * - POST /oauth/token (form): authorization_code, client_credentials, refresh_token, answered in
 *   RFC 6749 §5 JSON, errors included; so is whatever fails before the library sees the request
 *   (a body too large or unreadable: OAuthEnvelope).
 */
@ApiTags('oauth')
@Controller('oauth')
@AnswerWith(new OAuthEnvelope())
export class OAuthController {
  private readonly logger = new Logger('oauth');

  constructor(
    private readonly oauth: OAuthServer,
    private readonly model: OAuthModel,
    private readonly users: UsersService,
  ) {}

  @Get('authorize')
  async loginForm(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = params(request.query);
    const client = await this.clientFor(query);
    if (typeof client === 'string') return sendHtml(reply, 400, errorPage(client));
    sendHtml(reply, 200, loginPage(query, client.id, requestedScopes(query, client)));
  }

  @Post('authorize')
  async authorize(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const form = { ...params(request.query), ...params(request.body) };
    const response = new OAuth2Server.Response();
    const authenticateHandler = {
      handle: async (req: OAuth2Server.Request) => {
        const { username, password } = params(req.body);
        if (typeof username !== 'string' || typeof password !== 'string' || !USER_CODE.test(username) || !password || password.length > 128) throw new LoginFailed();
        const user = await this.users.verifyLogin(username, password);
        if (!user) throw new LoginFailed();
        if ('lockedUntil' in user) throw new LoginFailed(user.lockedUntil);
        return { userCode: user.userCode };
      },
    };
    try {
      await this.oauth.server.authorize(OAuthServer.request(request), response, { authenticateHandler });
      return redirect(reply, response);
    } catch (error) {
      if (error instanceof LoginFailed) {
        const client = await this.clientFor(form);
        const message = error.lockedUntil ? loginLocked(error.lockedUntil) : LOGIN_FAILED;
        return sendHtml(reply, error.lockedUntil ? 423 : 401, typeof client === 'string' ? errorPage(client) : loginPage(form, client.id, requestedScopes(form, client), message));
      }
      // Past the client and redirect_uri checks the library sends the error to the client.
      if (response.status === 302) return redirect(reply, response);
      if (error instanceof OAuth2Server.OAuthError && !(error instanceof OAuth2Server.ServerError)) return sendHtml(reply, error.code, errorPage(error.message));
      throw error;
    }
  }

  @Post('token')
  @HttpCode(200)
  async token(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const response = new OAuth2Server.Response();
    try {
      await this.oauth.server.token(OAuthServer.request(request), response);
    } catch (error) {
      if (error instanceof OAuth2Server.ServerError || !(error instanceof OAuth2Server.OAuthError)) {
        // The library puts the cause's message in error_description: keep it in the log, not on the wire.
        this.logger.error(`token request failed: ${(error as Error).message}`);
        response.status = 500;
        response.body = { error: 'server_error', error_description: 'internal error' };
      } else if (!(response.body as { error?: string }).error) {
        // Refused before the library wrote its answer (not a form body, not a POST).
        response.status = error.code;
        response.body = { error: error.name, error_description: error.message };
      }
    }
    void reply.status(response.status ?? 500);
    for (const [name, value] of Object.entries(response.headers ?? {})) void reply.header(name, value);
    void reply.header('content-type', 'application/json;charset=UTF-8').send(JSON.stringify(response.body));
  }

  /** The registered client the request names, or why the request cannot go back to any client. */
  private async clientFor(query: Params): Promise<OAuthClient | string> {
    const clientId = query.client_id;
    if (typeof clientId !== 'string' || !/^[\x20-\x7E]{1,64}$/.test(clientId)) return 'client_id: missing or malformed';
    const client = await this.model.getClient(clientId, null);
    if (!client || !client.grants.includes('authorization_code')) return 'client_id: no such client for the authorization code grant';
    const redirectUri = query.redirect_uri;
    if (redirectUri !== undefined && (typeof redirectUri !== 'string' || !client.redirectUris.includes(redirectUri))) {
      return 'redirect_uri: not registered for this client';
    }
    return client;
  }
}

function requestedScopes(query: Params, client: OAuthClient): string[] {
  return typeof query.scope === 'string' && query.scope.trim() ? query.scope.trim().split(/\s+/) : client.scopes;
}

/** The login page is never framed by another site (a framed login is how passwords get phished). */
function sendHtml(reply: FastifyReply, status: number, html: string): void {
  void reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .send(html);
}

function redirect(reply: FastifyReply, response: OAuth2Server.Response): void {
  void reply.status(302).header('location', response.get('location')).header('cache-control', 'no-store').send();
}
