import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind } from '@onecard/kernel';
import { safeEqual } from '@onecard/platform';
import { WageKeys } from '../common/wage-keys';
import { PlatformAuthErrorCode as Code } from './platform-auth.errors';

/** The supervision platform's calls carry `Authorization: Bearer <PLATFORM_TOKEN>`. */
@Injectable()
export class PlatformTokenGuard implements CanActivate {
  constructor(private readonly keys: WageKeys) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const token = /^Bearer /i.test(header) ? header.slice(7).trim() : '';
    if (!token) throw new AppError(ErrorKind.UNAUTHENTICATED, Code.TOKEN_MISSING, 'authorization: Bearer platform token required', 'authorization');
    if (!safeEqual(token, this.keys.platformToken)) throw new AppError(ErrorKind.UNAUTHENTICATED, Code.TOKEN_REJECTED, 'authorization: platform token rejected', 'authorization');
    return true;
  }
}
