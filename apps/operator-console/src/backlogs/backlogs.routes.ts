import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { BacklogsService } from './backlogs.service';

/** GET /api/backlogs: every app's /admin/backlog side by side. */
export function backlogsRoutes(app: FastifyInstance, auth: preHandlerAsyncHookHandler, backlogs: BacklogsService): void {
  app.get('/api/backlogs', { preHandler: auth }, () => backlogs.backlogs());
}
