import { ArgumentsHost, Catch, ExceptionFilter, Inject, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorKind, toAppError, WIRE_ENVELOPE, WireEnvelope } from '@onecard/kernel';
import { envelopeFor } from './answer-with';
import { sendWire } from './send-wire';

/** The one place errors become wire bytes: the app's envelope, never a stack trace. */
@Catch()
export class WireExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(@Inject(WIRE_ENVELOPE) private readonly envelope: WireEnvelope) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = toAppError(exception);
    if (error.kind === ErrorKind.INTERNAL) {
      const e = exception as Error;
      this.logger.error(`${request.method} ${request.routeOptions?.url ?? 'unknown route'}: ${e?.message ?? String(exception)}`, e?.stack);
    } else if (error.kind === ErrorKind.UNAVAILABLE && error !== exception) {
      // An outage (database, NATS): the caller is told to retry; operators see what failed.
      this.logger.warn(`${request.method} ${request.routeOptions?.url ?? 'unknown route'}: ${error.message} (${(exception as Error)?.message ?? String(exception)})`);
    }
    // A route marked @AnswerWith fails in its own envelope, as it succeeds.
    sendWire(reply, envelopeFor(request, this.envelope).failure(error, request));
  }
}
