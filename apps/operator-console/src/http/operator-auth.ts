import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hmacSha256Hex, safeEqual } from '@onecard/platform';
import { OperatorConsoleConfig } from '../config';
import { ConsoleError, ConsoleErrorCode } from './console-error';

export const SESSION_COOKIE = 'console_session';

/**
 * Who may use the console: a caller presenting CONSOLE_TOKEN (`Authorization: Bearer …`), or a
 * browser holding the session cookie the login form set. The cookie is `<expiry ms>.<HMAC>`
 * keyed by CONSOLE_TOKEN: no server-side state, the token never stored in the browser, and
 * changing CONSOLE_TOKEN ends every session.
 */
export class OperatorAuth {
  constructor(private readonly config: OperatorConsoleConfig) {}

  /** Whether the request carries the token or a live session. */
  isOperator(request: FastifyRequest): boolean {
    const header = request.headers.authorization;
    if (header !== undefined) return header.startsWith('Bearer ') && safeEqual(header.slice(7), this.config.CONSOLE_TOKEN);
    const session = readCookie(request.headers.cookie, SESSION_COOKIE);
    return session !== undefined && this.validSession(session);
  }

  /** A preHandler refusing anyone else in the console's error shape. */
  readonly require = async (request: FastifyRequest): Promise<void> => {
    if (!this.isOperator(request)) throw new ConsoleError(ConsoleErrorCode.UNAUTHORIZED, 'authorization: present CONSOLE_TOKEN as a Bearer token, or log in');
  };

  /** POST /login (a form with `token`): sets the session cookie and sends the browser to the console. */
  register(app: FastifyInstance): void {
    app.post('/login', async (request, reply) => {
      const token = (request.body as Record<string, unknown> | undefined)?.token;
      if (typeof token !== 'string' || !safeEqual(token, this.config.CONSOLE_TOKEN)) return reply.redirect('/login?failed=1', 303);
      const expires = Date.now() + this.config.CONSOLE_SESSION_S * 1000;
      return this.setCookie(reply, `${expires}.${this.sign(expires)}`, this.config.CONSOLE_SESSION_S).redirect('/', 303);
    });
    app.post('/logout', async (_request, reply) => this.setCookie(reply, '', 0).redirect('/login', 303));
  }

  private setCookie(reply: FastifyReply, value: string, maxAgeS: number): FastifyReply {
    // SameSite=Strict: another site's page cannot make the browser call a replay with the session.
    return reply.header('set-cookie', `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}`);
  }

  private sign(expires: number): string {
    return hmacSha256Hex(this.config.CONSOLE_TOKEN, `operator-console session until ${expires}`);
  }

  private validSession(value: string): boolean {
    const match = /^(\d{1,15})\.([0-9a-f]{64})$/.exec(value);
    if (!match) return false;
    const expires = Number(match[1]);
    return expires > Date.now() && safeEqual(match[2], this.sign(expires));
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
