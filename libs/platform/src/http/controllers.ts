import { applyDecorators, Controller, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard } from './admin-token.guard';
import { adminValidationPipe, deviceValidationPipe } from '@onecard/kernel';

/** A controller devices call: lenient about unknown fields, strict about declared ones. */
export function DeviceController(path = '', tag = 'device'): ClassDecorator {
  return applyDecorators(Controller(path), UsePipes(deviceValidationPipe), ApiTags(tag));
}

/** An operator controller under `/admin/<path>`, behind the operator token. */
export function AdminController(path: string): ClassDecorator {
  return applyDecorators(
    Controller(`admin/${path}`),
    UseGuards(AdminTokenGuard),
    UsePipes(adminValidationPipe),
    ApiBearerAuth(),
    ApiTags('admin'),
  );
}
