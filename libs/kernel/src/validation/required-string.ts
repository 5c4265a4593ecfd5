import { applyDecorators } from '@nestjs/common';
import { IsDefined, IsString, MaxLength, MinLength } from 'class-validator';

/** A required string field with a length bound; the message names the field. */
export function RequiredString(maxLength: number, minLength = 1): PropertyDecorator {
  return applyDecorators(
    IsDefined({ message: '$property is required' }),
    IsString({ message: '$property must be a string' }),
    MinLength(minLength, { message: minLength === 1 ? '$property must not be empty' : `$property must be at least ${minLength} characters` }),
    MaxLength(maxLength, { message: `$property must be at most ${maxLength} characters` }),
  );
}
