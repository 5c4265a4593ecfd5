import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError, BaseConfig, ErrorKind, PLATFORM_CONFIG } from '@onecard/kernel';
import { safeEqual } from '../security/hmac';

/** `/admin/…` requires `Authorization: Bearer <ADMIN_TOKEN>`. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(PLATFORM_CONFIG) private readonly config: BaseConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) throw new AppError(ErrorKind.UNAUTHENTICATED, ErrorKind.UNAUTHENTICATED, 'Authorization: Bearer operator token required', 'authorization');
    if (!safeEqual(token, this.config.ADMIN_TOKEN)) {
      throw new AppError(ErrorKind.UNAUTHENTICATED, ErrorKind.UNAUTHENTICATED, 'authorization: operator token rejected', 'authorization');
    }
    return true;
  }
}
