import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { InvalidInputError } from '../errors/app-error';
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

/**
 * Nest's ValidationPipe, asking class-validator only about values the fast path cannot call valid
 * (see valid-fast-path).
 *
 * A flat JSON object (every value a string, number, boolean or null: what devices send) that the
 * fast paths call valid is answered without Nest's transform around them: its walks for sparse
 * arrays, prototype keys and binary values find nothing in such an object, and its awaits and
 * copies were ~8 % of a heartbeat's CPU. The instance is the one Nest would return (the
 * differential spec compares them); anything else, and every failure, goes through Nest's transform.
 */
class PlatformValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const unstorable = unstorableText(value, metadata.data ?? '');
    if (unstorable) {
      const field = unstorable.field || metadata.type;
      throw new InvalidInputError(field, `${field}: ${unstorable.problem}`);
    }
    const valid = this.validFlatObject(value, metadata);
    return valid ? Promise.resolve(valid) : super.transform(value, metadata);
  }

  protected override validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    if (options && fastPathApplies(options) && validWithoutErrors(object, options)) return [];
    return super.validate(object, options);
  }

  private validFlatObject(value: unknown, metadata: ArgumentMetadata): object | undefined {
    const metatype = metadata.metatype;
    if (!metatype || this.expectedType || !this.isTransformEnabled || !isFlatObject(value) || !this.toValidate(metadata)) return undefined;
    if (!fastPathApplies(this.validatorOptions)) return undefined;
    const entity = fastTransformerPackage.plainToInstance(metatype, value, this.transformOptions) as object;
    if (entity.constructor !== metatype) return undefined;
    return validWithoutErrors(entity, this.validatorOptions) ? entity : undefined;
  }
}

/** String.prototype.isWellFormed (ES2024, in Node since 20), which the ES2023 lib compiled against does not declare. */
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * The first string, as a dotted path (`''` for the value itself), that Postgres cannot store as
 * text or JSON, and why: a NUL character, or a lone UTF-16 surrogate (`"\ud800"` in JSON text),
 * which `JSON.stringify` keeps as an escape Postgres's json refuses (a batch carrying one failed
 * whole) and which text parameters would silently turn into U+FFFD. Refused at the edge (HTTP
 * bodies, params and queries; messages consumers receive) rather than repaired, so what is stored
 * is what was sent.
 */
export function unstorableText(value: unknown, path = '', depth = 0): { field: string; problem: string } | undefined {
  if (typeof value === 'string') {
    if (value.includes('\0')) return { field: path, problem: 'must not contain the NUL character (\\u0000)' };
    if (!isWellFormed(value)) return { field: path, problem: 'must be well-formed Unicode text (a lone UTF-16 surrogate such as \\ud800 cannot be stored)' };
    return undefined;
  }
  if (value === null || typeof value !== 'object' || depth > 32) return undefined;
  for (const key in value) {
    const found = unstorableText((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A plain object whose own values are all primitives, with no key Nest's transform would strip. */
function isFlatObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) {
    if (key === '__proto__' || key === 'constructor') return false;
    const v = (value as Record<string, unknown>)[key];
    if (v !== null && typeof v === 'object') return false;
  }
  // An own "__proto__" (JSON.parse makes one) is refused above; this also catches one not enumerable.
  return !Object.prototype.hasOwnProperty.call(value, '__proto__');
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
