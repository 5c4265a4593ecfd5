import { IsInt, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { ArgumentMetadata } from '@nestjs/common';
import { InvalidInputError } from '../errors/app-error';
import { adminValidationPipe, deviceValidationPipe, unstorableText } from './validation';

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

  it('refuses text Postgres cannot store (NUL, a lone surrogate) anywhere, naming the field', async () => {
    const lone = JSON.parse('{"name":"\\ud800","steps":[]}');
    expect(lone.name).toHaveLength(1);
    const error = await failure(deviceValidationPipe, lone);
    expect([error.field, error.message]).toEqual(['name', 'name: must be well-formed Unicode text (a lone UTF-16 surrogate such as \\ud800 cannot be stored)']);
    const nested = await failure(adminValidationPipe, { name: 'b', steps: [{ index: 1, capdu: 'ok' }, { index: 2, capdu: 'a\udc00' }] });
    expect(nested.field).toBe('steps.1.capdu');
    const nul = await failure(deviceValidationPipe, { name: 'a\u0000b', steps: [] });
    expect(nul.message).toBe('name: must not contain the NUL character (\\u0000)');
    // A surrogate pair is one character, and welcome.
    await expect(deviceValidationPipe.transform({ name: '\u{1F68C}', steps: [] }, meta)).resolves.toMatchObject({ name: '\u{1F68C}' });
  });

  it('names the unstorable string of any value, the value itself as ""', () => {
    expect(unstorableText({ a: { b: ['ok', 'x\ud800y'] } })).toEqual({ field: 'a.b.1', problem: expect.stringContaining('surrogate') });
    expect(unstorableText('\udfff')).toEqual({ field: '', problem: expect.stringContaining('surrogate') });
    expect(unstorableText({ a: '\ud83d\ude8c', b: 1, c: null })).toBeUndefined();
  });
});
