import { IsInt, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { ArgumentMetadata } from '@nestjs/common';
import { InvalidInputError } from '../errors/app-error';
import { adminValidationPipe, deviceValidationPipe } from './validation';

class Step {
  @IsInt() index!: number;
  @IsString() @MaxLength(4) capdu!: string;
}
class Batch {
  @IsString() name!: string;
  @ValidateNested({ each: true }) @Type(() => Step) steps!: Step[];
}
const meta: ArgumentMetadata = { type: 'body', metatype: Batch };

async function failure(pipe: typeof deviceValidationPipe, value: unknown): Promise<InvalidInputError> {
  try {
    await pipe.transform(value, meta);
  } catch (error) {
    return error as InvalidInputError;
  }
  throw new Error('expected a validation failure');
}

describe('validation pipes', () => {
  it('names a nested field by its path', async () => {
    const error = await failure(deviceValidationPipe, { name: 'b', steps: [{ index: 1, capdu: '00A4' }, { index: 2, capdu: '00A40400' }] });
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe('steps.1.capdu');
    expect(error.message).toBe('steps.1.capdu must be shorter than or equal to 4 characters');
  });

  it('names a missing field', async () => {
    const error = await failure(deviceValidationPipe, { steps: [] });
    expect(error.field).toBe('name');
    expect(error.message).toBe('name must be a string');
  });

  it('strips unknown fields on device ingress and refuses them on admin', async () => {
    const cleaned = (await deviceValidationPipe.transform({ name: 'b', steps: [], extra: 1 }, meta)) as Record<string, unknown>;
    expect(cleaned.extra).toBeUndefined();
    const error = await failure(adminValidationPipe, { name: 'b', steps: [], extra: 1 });
    expect(error.message).toBe('extra: unknown field');
  });
});
