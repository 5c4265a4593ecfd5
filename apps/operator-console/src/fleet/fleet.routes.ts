import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { FleetService } from './fleet.service';

/** GET /api/fleet: validators, kiosks and attendance terminals in one list, with which apps answered. */
export function fleetRoutes(app: FastifyInstance, auth: preHandlerAsyncHookHandler, fleet: FleetService): void {
  app.get('/api/fleet', { preHandler: auth }, () => fleet.fleet());
}
