import { applyDecorators, Injectable, Logger, UseFilters, UsePipes } from '@nestjs/common';
import { BaseRpcExceptionFilter, CustomTransportStrategy, MessagePattern, Server } from '@nestjs/microservices';
import { ArgumentsHost, Catch } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { lastValueFrom, Observable, throwError } from 'rxjs';
import { Msg, NatsConnection, Subscription } from 'nats';
import { RpcContracts, RpcReply, RpcRequest, RpcSubject } from '@onecard/contracts';
import { adminValidationPipe, AppError, ErrorKind, firstInvalidField, toAppError } from '@onecard/kernel';
import { NatsConnectionService } from '../nats/nats-connection.service';

/** What travels back on an rpc reply subject. */
export type RpcEnvelope<T> = { ok: true; data: T } | { ok: false; error: { kind: ErrorKind; code: string; message: string; field?: string } };

/** Turns handler failures into an AppError the transport sends back as `{ok: false, error}`. */
@Catch()
export class RpcErrorFilter extends BaseRpcExceptionFilter {
  override catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => toAppError(exception));
  }
}

/**
 * Marks a method as this app's answer to an rpc subject (request validated like an HTTP body).
 * The signature is checked against the contract at compile time.
 */
export function RpcHandler<S extends RpcSubject>(subject: S) {
  return (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<(request: RpcRequest<S>) => Promise<RpcReply<S>>>): void => {
    applyDecorators(MessagePattern(subject), UsePipes(adminValidationPipe), UseFilters(RpcErrorFilter))(target, key, descriptor);
  };
}

/**
 * Nest transport strategy over the app's shared NATS connection: the hybrid app's
 * @MessagePattern handlers answer on `<prefix><subject>` in a queue group per app, so replicas
 * share the load. Subscriptions start whenever NATS is (re)connected, never blocking boot.
 */
@Injectable()
export class NatsRpcServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger('rpc');
  private subscriptions: Subscription[] = [];

  constructor(private readonly nats: NatsConnectionService) {
    super();
  }

  listen(callback: () => void): void {
    this.nats.onConnected((nc) => this.subscribeAll(nc));
    callback();
  }

  private subscribeAll(nc: NatsConnection): void {
    for (const [pattern, handler] of this.messageHandlers) {
      const sub = nc.subscribe(this.nats.subject(pattern), { queue: this.nats.subject(`rpc.${pattern.split('.')[1]}`) });
      this.subscriptions.push(sub);
      void (async () => {
        for await (const msg of sub) void this.answer(msg, handler);
      })();
    }
  }

  private async answer(msg: Msg, handler: (data: unknown, ctx?: unknown) => Promise<unknown>): Promise<void> {
    let reply: RpcEnvelope<unknown>;
    try {
      const data: unknown = JSON.parse(msg.string());
      const result = await lastValueFrom(this.transformToObservable(await handler(data)));
      reply = { ok: true, data: result };
    } catch (exception) {
      const error = exception instanceof SyntaxError ? new AppError(ErrorKind.INVALID_INPUT, 'INVALID_INPUT', 'request is not JSON') : toAppError(exception);
      if (error.kind === ErrorKind.INTERNAL) this.log.error(`${msg.subject}: ${(exception as Error)?.message}`);
      reply = { ok: false, error: { kind: error.kind, code: error.code, message: error.message, field: error.field } };
    }
    if (msg.reply) msg.respond(JSON.stringify(reply));
  }

  close(): void {
    for (const sub of this.subscriptions) sub.unsubscribe();
    this.subscriptions = [];
  }

  on(): void {
    // Connection events are handled by NatsConnectionService.
  }

  unwrap<T>(): T {
    return this.nats.connection as T;
  }
}

/** Typed request/reply: the subject fixes the request and reply types; replies are validated. */
@Injectable()
export class RpcClient {
  constructor(private readonly nats: NatsConnectionService) {}

  async request<S extends RpcSubject>(subject: S, request: RpcRequest<S>, timeoutMs = 2000): Promise<RpcReply<S>> {
    const nc = this.nats.connection;
    if (!nc || !this.nats.isConnected) throw new AppError(ErrorKind.UNAVAILABLE, 'RPC_UNAVAILABLE', `${subject}: NATS is not connected`);
    let msg: Msg;
    try {
      msg = await nc.request(this.nats.subject(subject), JSON.stringify(request), { timeout: timeoutMs });
    } catch (error) {
      throw new AppError(ErrorKind.UNAVAILABLE, 'RPC_UNAVAILABLE', `${subject}: ${(error as Error).message}`);
    }
    const envelope = JSON.parse(msg.string()) as RpcEnvelope<unknown>;
    if (!envelope.ok) throw new AppError(envelope.error.kind, envelope.error.code, envelope.error.message, envelope.error.field);
    const reply = plainToInstance(RpcContracts[subject].reply as new () => object, envelope.data);
    const errors = await validate(reply);
    if (errors.length > 0) throw new AppError(ErrorKind.UNAVAILABLE, 'RPC_BAD_REPLY', `${subject}: ${firstInvalidField(errors).message}`);
    return reply as RpcReply<S>;
  }
}
