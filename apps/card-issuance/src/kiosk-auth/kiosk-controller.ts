import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind } from '@onecard/kernel';
import { DeviceController, KeepRawBody, LenientJson } from '@onecard/platform';
import { KioskAuthErrorCode } from './kiosk-auth.errors';
import { KioskAuthGuard } from './kiosk-auth.guard';
import { ALLOW_DISABLED_MACHINE, kioskOf } from './kiosk-request';
import type { KioskIdentity } from './machine-credentials';

/** The kiosk document's path prefix. */
export const KIOSK_PATH = 'yktInfo/openCard';

/** The signing kiosk (set by KioskAuthGuard). */
export const Kiosk = createParamDecorator((_: unknown, context: ExecutionContext): KioskIdentity => kioskOf(context.switchToHttp().getRequest<FastifyRequest>()));

/** A disabled machine may still call this route (machineDetail: it must learn it is disabled). */
export const AllowDisabledMachine = () => SetMetadata(ALLOW_DISABLED_MACHINE, true);

/**
 * A controller under /yktInfo/openCard whose every route requires a kiosk signature (over the
 * body's bytes as sent), its JSON body read however the firmware labels it (no content type,
 * text/plain, charset=GBK: see LenientJson).
 */
export function KioskController(): ClassDecorator {
  return applyDecorators(
    DeviceController(KIOSK_PATH, 'kiosk'),
    KeepRawBody(),
    LenientJson(),
    ApiHeader({ name: 'X-Machine-No', required: true }),
    ApiHeader({ name: 'X-Timestamp', required: true, description: 'unix time in ms (13 digits) or s (10 digits)' }),
    ApiHeader({ name: 'X-Nonce', required: true, description: '8-64 of [A-Za-z0-9_-], single use' }),
    ApiHeader({ name: 'X-Signature', required: true, description: 'hex HMAC-SHA256(secret, METHOD\\npath?query\\ntimestamp\\nnonce\\nhex SHA-256(body))' }),
    UseGuards(KioskAuthGuard),
  );
}

/** A machineNo in a path or body must be the signing kiosk's own. */
export function assertOwnMachine(kiosk: KioskIdentity, machineNo: string, field = 'machineNo'): void {
  if (machineNo !== kiosk.machineNo) {
    throw new AppError(ErrorKind.FORBIDDEN, KioskAuthErrorCode.MACHINE_MISMATCH, `${field}: not the machine that signed the request`, field);
  }
}
