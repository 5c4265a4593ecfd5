import { ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidInputError } from './app-error';

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

function pipe(forbidUnknown: boolean): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: forbidUnknown,
    forbidUnknownValues: true,
    stopAtFirstError: true,
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
