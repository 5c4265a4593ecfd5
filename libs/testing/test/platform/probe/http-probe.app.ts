import { BadRequestException, Body, CanActivate, Get, Injectable, Module, NotFoundException, Param, Post, Req, UseGuards } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import type { FastifyRequest, RouteOptions } from 'fastify';
import { AppError, BaseConfig, ErrorKind, FormBoolean, FormInt, OneCardAppDefinition, WireEnvelope, WireResponse } from '@onecard/kernel';
import { AnswerWith, DeviceController, KeepRawBody, LenientJson, rawBodyOf, RawResponse, unparsedBodyOf } from '@onecard/platform';

class OrderDto {
  @IsString() @MaxLength(20) name!: string;
  @FormInt() @IsInt() @Min(0) count!: number;
  @IsOptional() @FormBoolean() @IsBoolean() urgent?: boolean;
  @IsOptional() @IsString({ each: true }) tags?: string[];
}

class TokenDto {
  @IsIn(['client_credentials']) grant_type!: string;
  @IsOptional() @IsString() scope?: string;
}

/** RFC 6749's shapes: the result as it is on success, `{error, error_description}` on failure. */
class OAuthStyleEnvelope implements WireEnvelope {
  success(result: unknown): WireResponse {
    return { status: 200, body: result };
  }
  failure(error: AppError): WireResponse {
    const code = error.kind === ErrorKind.UNAUTHENTICATED ? 'invalid_client' : error.kind === ErrorKind.INVALID_INPUT ? 'invalid_request' : 'server_error';
    return { status: error.kind === ErrorKind.UNAUTHENTICATED ? 401 : 400, body: { error: code, error_description: error.message } };
  }
}

/** The probe's envelope, with a failure showing what `unparsedBodyOf` kept. */
class UnparsedEnvelope implements WireEnvelope {
  success(result: unknown): WireResponse {
    return { status: 200, body: { ok: true, data: result } };
  }
  failure(error: AppError, request: FastifyRequest): WireResponse {
    return { status: 400, body: { ok: false, message: error.message, unparsed: unparsedBodyOf(request) ?? null } };
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

@Injectable()
class ClientSecretGuard implements CanActivate {
  canActivate(context: import('@nestjs/common').ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.headers.authorization !== 'Basic cHJvYmU6c2VjcmV0') throw new AppError(ErrorKind.UNAUTHENTICATED, 'BAD_CLIENT', 'authorization: unknown client', 'authorization');
    return true;
  }
}

@DeviceController('forms')
class FormsController {
  @Post('orders')
  order(@Body() dto: OrderDto) {
    return { ...dto };
  }

  @Post('signed')
  @KeepRawBody()
  signed(@Req() request: FastifyRequest) {
    const raw = rawBodyOf(request);
    return { bytes: raw.length, sha256: sha256(raw), parsed: request.body ?? null };
  }

  @Get('signed')
  @KeepRawBody()
  signedGet(@Req() request: FastifyRequest) {
    return { bytes: rawBodyOf(request).length };
  }

  /** JSON however a device labels it, signed over the bytes as sent. */
  @Post('lenient')
  @KeepRawBody()
  @LenientJson()
  @AnswerWith(new UnparsedEnvelope())
  lenient(@Req() request: FastifyRequest) {
    const raw = rawBodyOf(request);
    return { bytes: raw.length, sha256: sha256(raw), parsed: request.body ?? null, contentType: request.headers['content-type'] ?? null };
  }

  @Post('unsigned')
  unsigned(@Req() request: FastifyRequest) {
    return { bytes: rawBodyOf(request).length };
  }

  /** One handler of an enveloped controller in another format. */
  @Post('oauth-style')
  @AnswerWith(new OAuthStyleEnvelope())
  oauthStyle(@Body() dto: TokenDto) {
    return { access_token: 'probe-token', token_type: 'Bearer', scope: dto.scope ?? 'all' };
  }

  @Get('request-id')
  requestId(@Req() request: FastifyRequest) {
    return { id: request.id };
  }

  /** Moved under PROBE_BASE_PATH by the app's `http.configure`. */
  @Get('moved')
  moved() {
    return { moved: true };
  }

  @Post('csv')
  csv(@Body() body: string) {
    return { lines: body.split('\n').length };
  }
}

/** A controller answering in another format, every route and every failure. */
@DeviceController('oauth')
@AnswerWith(new OAuthStyleEnvelope())
@KeepRawBody()
class OAuthStyleController {
  @Post('token')
  @UseGuards(ClientSecretGuard)
  token(@Body() dto: TokenDto, @Req() request: FastifyRequest) {
    return { access_token: 'probe-token', token_type: 'Bearer', scope: dto.scope ?? 'all', signed_bytes: rawBodyOf(request).length };
  }

  @Get('clients/:id')
  client(@Param('id') id: string) {
    if (id === 'nest-404') throw new NotFoundException();
    if (id === 'nest-400') throw new BadRequestException('id: not like that');
    if (id === 'crash') throw new Error('a bug, with a secret in it');
    throw new AppError(ErrorKind.NOT_FOUND, 'NO_CLIENT', `id: no client ${id}`, 'id');
  }

  /** A handler's own decorator wins over its controller's. */
  @Get('raw')
  @RawResponse()
  raw() {
    return { raw: true };
  }
}

@Module({ controllers: [FormsController, OAuthStyleController], providers: [ClientSecretGuard] })
class HttpProbeModule {}

/** `{ok, data}` / `{ok: false, kind, code, message}`: the probe's own envelope. */
class ProbeEnvelope implements WireEnvelope {
  success(result: unknown): WireResponse {
    return { status: 200, body: { ok: true, data: result } };
  }
  failure(error: AppError): WireResponse {
    return { status: error.kind === ErrorKind.INVALID_INPUT ? 400 : 422, body: { ok: false, kind: error.kind, code: error.code, message: error.message } };
  }
}

export const PROBE_BASE_PATH = '/base';

/** A probe app for the platform's HTTP hooks: form bodies, raw bodies, other envelopes, the app-level hook. */
export const httpProbeApp: OneCardAppDefinition = {
  name: 'card-issuance',
  title: 'HTTP hooks probe',
  defaultPort: 0,
  defaultSchema: 'platform_http_probe',
  module: HttpProbeModule,
  configClass: BaseConfig,
  envelope: new ProbeEnvelope(),
  migrations: [],
  http: {
    fastify: { requestIdHeader: 'x-probe-request' },
    configure(fastify, config) {
      fastify.addHook('onRoute', (route: RouteOptions) => {
        if (route.url === '/forms/moved') route.url = `${PROBE_BASE_PATH}${route.url}`;
      });
      fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: config.BODY_LIMIT }, (_request, body, done) => done(null, body));
    },
  },
};
