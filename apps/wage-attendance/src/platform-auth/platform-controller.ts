import { applyDecorators, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { DeviceController } from '@onecard/platform';
import { PlatformTokenGuard } from './platform-token.guard';

/**
 * A controller of the supervision platform's calls: the document's paths at the root, JSON or
 * form bodies, the platform's bearer token. Unknown fields are dropped, as for devices.
 */
export function PlatformController(path: string): ClassDecorator {
  return applyDecorators(DeviceController(path, 'supervision platform'), ApiBearerAuth(), UseGuards(PlatformTokenGuard));
}

/** One of the document's calls: a POST answered with HTTP 200. */
export const PlatformCall = (path: string): MethodDecorator => applyDecorators(Post(path), HttpCode(200));
