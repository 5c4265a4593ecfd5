import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow, IsOptional, registerDecorator, ValidationOptions } from 'class-validator';
import { DEVICE_TIME_FORMS, parseDeviceTime } from './wire-clock';

/**
 * Validator firmware sends numbers as strings and strings as numbers (the document's own
 * examples do: `"check_mode": "1"`). These keep the DTO rules strict about the value while
 * lenient about its JSON type.
 */

/** "1" → 1; anything else passes through for the validators to judge. */
export const ToInt = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*-?\d{1,15}\s*$/.test(value) ? Number(value) : value));

/** 1 → "1"; "" → undefined (an empty optional field is an absent one). */
export const ToOptionalString = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value === '' || value === null ? undefined : value));

/** 1 → "1" (a required field stays required; "" stays "" for the rules to judge). */
export const ToString = () => Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value));

/**
 * A telemetry field (position, heading, speed, firmware version): taken as sent, whatever its
 * JSON type or notation, never refused; the service reads it with TelemetryReader.
 */
export const TelemetryField = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ description: `${description}; any notation, never refused (see the README's telemetry rules)`, oneOf: [{ type: 'string' }, { type: 'number' }] }),
    IsOptional(),
    Allow(),
  );

/** A device time: see parseDeviceTime. */
export function IsWireTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isWireTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be a time (${DEVICE_TIME_FORMS})`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseDeviceTime(value, 'Asia/Shanghai') !== undefined },
    });
}
