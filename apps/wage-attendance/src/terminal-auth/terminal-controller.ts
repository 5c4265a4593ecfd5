import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind } from '@onecard/kernel';
import { DeviceController, KeepRawBody } from '@onecard/platform';
import { TerminalAuthErrorCode } from './terminal-auth.errors';
import { TerminalAuthGuard } from './terminal-auth.guard';
import type { TerminalIdentity } from './terminal-credentials';
import { terminalOf } from './terminal-request';

/** The signing terminal (set by TerminalAuthGuard). */
export const Terminal = createParamDecorator((_: unknown, context: ExecutionContext): TerminalIdentity => terminalOf(context.switchToHttp().getRequest<FastifyRequest>()));

/** A controller under /terminal whose every route requires a terminal's signature (over the body's bytes). */
export function TerminalController(): ClassDecorator {
  return applyDecorators(
    DeviceController('terminal', 'terminal'),
    KeepRawBody(),
    ApiHeader({ name: 'X-Device-Key', required: true, description: 'the deviceKey /device/create registered' }),
    ApiHeader({ name: 'X-Timestamp', required: true, description: 'unix time, ms' }),
    ApiHeader({ name: 'X-Nonce', required: true, description: '8-64 of [A-Za-z0-9_-], single use' }),
    ApiHeader({ name: 'X-Signature', required: true, description: 'hex HMAC-SHA256(secret, METHOD\\npath?query\\ntimestamp\\nnonce\\nhex SHA-256(body))' }),
    UseGuards(TerminalAuthGuard),
  );
}

/** A deviceKey in a body must be the signing terminal's own. */
export function assertOwnDevice(terminal: TerminalIdentity, deviceKey: string): void {
  if (deviceKey !== terminal.deviceKey) {
    throw new AppError(ErrorKind.FORBIDDEN, TerminalAuthErrorCode.DEVICE_MISMATCH, 'deviceKey: not the terminal that signed the request', 'deviceKey');
  }
}
