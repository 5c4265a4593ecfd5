import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { StockService } from './stock.service';

/** GET /api/stock: every kiosk's consumables and low-stock flags. */
export function stockRoutes(app: FastifyInstance, auth: preHandlerAsyncHookHandler, stock: StockService): void {
  app.get('/api/stock', { preHandler: auth }, () => stock.stock());
}
