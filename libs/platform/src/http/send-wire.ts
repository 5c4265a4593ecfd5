import type { FastifyReply } from 'fastify';
import type { WireResponse } from '@onecard/kernel';

/** Writes an envelope's answer: the one way an error or raw envelope body leaves the app. */
export function sendWire(reply: FastifyReply, response: WireResponse): void {
  void reply.status(response.status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(response.body));
}
