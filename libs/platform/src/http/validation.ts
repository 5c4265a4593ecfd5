import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { InvalidInputError } from './app-error';
import { fastPathApplies, validWithoutErrors } from './valid-fast-path';
import { fastTransformerPackage } from './plain-to-instance-fast-path';

/** The first failing field as a dotted path (`items.0.capdu`) and its first message. */
export function firstInvalidField(errors: ValidationError[], parent = ''): { field: string; message: string } {
  const error = errors[0];
  const field = parent ? `${parent}.${error.property}` : error.property;
  if (error.constraints && Object.keys(error.constraints).length > 0) {
    if (error.constraints.whitelistValidation) return { field, message: `${field}: unknown field` };
    const message = Object.values(error.constraints)[0];
    // class-validator names the leaf property only; give the whole path.
    return { field, message: message.startsWith(error.property) ? `${field}${message.slice(error.property.length)}` : `${field}: ${message}` };
  }
  if (error.children && error.children.length > 0) return firstInvalidField(error.children, field);
  return { field, message: `${field} is invalid` };
}

/** Nest's ValidationPipe, asking class-validator only about values the fast path cannot call valid (see valid-fast-path). */
class PlatformValidationPipe extends ValidationPipe {
  protected override validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    if (options && fastPathApplies(options) && validWithoutErrors(object, options)) return [];
    return super.validate(object, options);
  }
}

function pipe(forbidUnknown: boolean): ValidationPipe {
  return new PlatformValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: forbidUnknown,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    // Nest keeps the transformer in a module-wide variable (the last pipe constructed sets it for
    // all); this one is class-transformer with an equivalent fast path, so sharing it is harmless.
    transformerPackage: fastTransformerPackage,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const { field, message } = firstInvalidField(errors);
      return new InvalidInputError(field, message);
    },
  });
}

/** Device ingress: firmware may add fields, so unknown ones are dropped, not refused. */
export const deviceValidationPipe = pipe(false);
/** Operator calls: an unknown field is a typo worth refusing. */
export const adminValidationPipe = pipe(true);
