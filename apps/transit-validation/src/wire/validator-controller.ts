import { applyDecorators } from '@nestjs/common';
import { DeviceController, LenientJson } from '@onecard/platform';

/**
 * A controller of validator calls: device ingress (unknown fields stripped) that reads the body
 * as JSON however the firmware labels it (none, text/plain, charset=GBK: see LenientJson).
 * Operator calls under /admin stay strict.
 */
export function ValidatorController(): ClassDecorator {
  return applyDecorators(DeviceController('', 'validator'), LenientJson());
}
