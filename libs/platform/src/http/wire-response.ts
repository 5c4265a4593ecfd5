import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyServerOptions } from 'fastify';
import type { WireEnvelope } from '@onecard/kernel';
import { routeEnvelope } from './answer-with';
import { answerExpectationsInEnvelope, clientErrorHandler, frameworkErrorHandler } from './framework-errors';
import { routeConfigDecorator, routeConfigOf } from './route-config';

const RAW_RESPONSE = 'onecardRawResponse';

/**
 * The handler's result goes out as it is, without the app's envelope (handlers that write their
 * own body with `@Res()` — health, metrics, streamed lists — never reach the envelope anyway).
 * Carried in the Fastify route config because that is what the adapter sees at reply time.
 */
export const RawResponse = (): ClassDecorator & MethodDecorator => routeConfigDecorator(RAW_RESPONSE, true);

/**
 * Fastify adapter that wraps every handler's result in the app's success envelope.
 *
 * Nest hands each handler's result (not an exception: the WireExceptionFilter sends those
 * itself) to `reply()`, so wrapping here is what a global interceptor did, minus its cost: any
 * interceptor puts every request through Nest's rxjs pipeline (defer, mergeAll, a
 * ReplaySubject, lastValueFrom and two `AsyncResource.bind` whose Node 20 deprecation wrappers
 * alone were ~6 % of the service's CPU). Without an interceptor Nest awaits the handler and calls
 * this directly. The status is set before the body, as the interceptor did.
 *
 * The answers Fastify and Node write themselves (router and HTTP-parser refusals, `Expect:`) go out in the envelope too
 * (framework-errors.ts); so a request arriving while the server closes is served rather than
 * given Fastify's own 503 (the database closes after HTTP does).
 */
export class WireFastifyAdapter extends FastifyAdapter {
  constructor(
    private readonly envelope: WireEnvelope,
    options: Partial<FastifyServerOptions> = {},
  ) {
    super({
      ...options,
      frameworkErrors: frameworkErrorHandler(envelope),
      clientErrorHandler: clientErrorHandler(envelope),
      return503OnClosing: false,
    });
    answerExpectationsInEnvelope(this.getInstance().server, envelope);
  }

  override reply(response: unknown, body: unknown, statusCode?: number): FastifyReply {
    const reply = response as FastifyReply;
    // A native response only reaches here from Nest internals outside a route (no request to echo).
    const config = typeof reply.request === 'object' ? routeConfigOf(reply.request) : undefined;
    if (config && config[RAW_RESPONSE] !== true) {
      const wire = routeEnvelope(config, this.envelope).success(body, reply.request);
      void reply.status(wire.status);
      return super.reply(reply, wire.body, statusCode);
    }
    return super.reply(response as FastifyReply, body, statusCode);
  }
}
