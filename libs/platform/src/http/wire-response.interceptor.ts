import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { WIRE_ENVELOPE, WireEnvelope } from './envelope';

const RAW_RESPONSE = 'onecard:raw-response';
/** The handler writes its own body (health, metrics, streamed lists): no envelope around it. */
export const RawResponse = () => SetMetadata(RAW_RESPONSE, true);

/** Wraps every handler's result in the app's success envelope. */
@Injectable()
export class WireResponseInterceptor implements NestInterceptor {
  constructor(
    @Inject(WIRE_ENVELOPE) private readonly envelope: WireEnvelope,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const raw = this.reflector.getAllAndOverride<boolean>(RAW_RESPONSE, [context.getHandler(), context.getClass()]);
    if (raw) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((result) => {
        const wire = this.envelope.success(result, request);
        void reply.status(wire.status);
        return wire.body;
      }),
    );
  }
}
