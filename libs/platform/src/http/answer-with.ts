import type { FastifyRequest } from 'fastify';
import type { WireEnvelope } from '@onecard/kernel';
import { routeConfigDecorator, routeConfigOf } from './route-config';

const ANSWER_WITH = 'onecardAnswerWith';

/**
 * The routes of this handler or controller answer in `envelope` instead of the app's: their
 * results and every failure on them (validation, guards, AppErrors, Nest's HttpExceptions, body
 * errors) — for a protocol with its own format inside an app (OAuth2's RFC 6749 answers, say).
 * A path that matches no route has no route to ask, so it gets the app's envelope.
 */
export const AnswerWith = (envelope: WireEnvelope): ClassDecorator & MethodDecorator => routeConfigDecorator(ANSWER_WITH, envelope);

/** The envelope of a route, given its config: its `@AnswerWith`, else the app's. */
export function routeEnvelope(config: Record<string, unknown>, appEnvelope: WireEnvelope): WireEnvelope {
  return (config[ANSWER_WITH] as WireEnvelope | undefined) ?? appEnvelope;
}

/** The envelope of the request's route: its `@AnswerWith`, else the app's. */
export function envelopeFor(request: FastifyRequest, appEnvelope: WireEnvelope): WireEnvelope {
  return routeEnvelope(routeConfigOf(request), appEnvelope);
}
