import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind } from '@onecard/kernel';
import { Device } from '../devices/device-registry';
import { AuthErrorCode } from './auth-errors';
import { TokenService } from './token.service';

type AuthedRequest = FastifyRequest & { device?: Device };

/**
 * Every validator call but /get_token carries a token, as the body field `token` or as
 * `Authorization: Bearer`. A body `device_id` must be the token's device.
 */
@Injectable()
export class DeviceTokenGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    const header = request.headers.authorization;
    const token = typeof body.token === 'string' && body.token ? body.token : header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const device = await this.tokens.verify(token);
    const claimed = body.device_id;
    if (claimed !== undefined && claimed !== null && String(claimed) !== device.deviceId) {
      throw new AppError(ErrorKind.UNAUTHENTICATED, AuthErrorCode.TOKEN_DEVICE_MISMATCH, 'device_id: differs from the device the token was issued to', 'device_id');
    }
    request.device = device;
    return true;
  }
}

/** The calling device, as the token guard established it. */
export const CurrentDevice = createParamDecorator((_data: unknown, context: ExecutionContext): Device => {
  const device = context.switchToHttp().getRequest<AuthedRequest>().device;
  if (!device) throw new Error('CurrentDevice used on a route without DeviceTokenGuard');
  return device;
});
