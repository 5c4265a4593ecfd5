import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { OperatorAuth } from '../http/operator-auth';

/** The console's page: plain files beside this one (copied into dist by tools/build.mjs), read once. */
const FILES = {
  'index.html': 'text/html; charset=utf-8',
  'login.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const;
type WebFile = keyof typeof FILES;

/**
 * `/` (the console, or the login form without a session), `/login`, and the page's script and
 * style (no data in them, so no session needed). No build step, no CDN: the machines have no internet.
 */
export function webRoutes(app: FastifyInstance, auth: OperatorAuth): void {
  const content = Object.fromEntries(Object.keys(FILES).map((name) => [name, readFileSync(join(__dirname, name))])) as Record<WebFile, Buffer>;
  const send = (name: WebFile) => (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply.header('content-type', FILES[name]).header('cache-control', 'no-cache').header('x-frame-options', 'DENY').send(content[name]);
  app.get('/', (request, reply) => (auth.isOperator(request) ? send('index.html')(request, reply) : reply.redirect('/login', 303)));
  app.get('/login', send('login.html'));
  app.get('/console.js', send('console.js'));
  app.get('/console.css', send('console.css'));
}
