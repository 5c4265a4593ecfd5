import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { LiveEvent, LiveFeed } from './live-feed';

/** Comment lines keep idle connections (and proxies) open. */
const KEEPALIVE_MS = 15_000;

export function sseFrame(event: LiveEvent): string {
  return `id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * GET /api/live: Server-Sent Events, one `data:` frame per device, kiosk or stock event from now
 * on. A `: ready` comment says the feed is reading (what is published after it arrives).
 */
export function liveRoutes(app: FastifyInstance, auth: preHandlerAsyncHookHandler, feed: LiveFeed): void {
  const open = new Set<() => void>();
  // Streams never end by themselves: closing the console ends them.
  app.addHook('onClose', async () => {
    for (const end of open) end();
  });
  app.get('/api/live', { preHandler: auth }, async (request, reply) => {
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    out.write('retry: 2000\n\n');
    const unsubscribe = feed.subscribe((event) => out.write(sseFrame(event)));
    const keepalive = setInterval(() => out.write(': keepalive\n\n'), KEEPALIVE_MS);
    const stop = () => {
      clearInterval(keepalive);
      unsubscribe();
      open.delete(end);
    };
    const end = () => {
      stop();
      out.end();
    };
    open.add(end);
    request.raw.on('close', stop);
    await feed.ready;
    if (!out.writableEnded) out.write(': ready\n\n');
  });
}
