import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { FormBoolean, FormInt } from '@onecard/kernel';
import { IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

/**
 * The document's request parameters, by its (camelCase) names. The document lists them as
 * "body" even for GET: the bridge takes them from the query string, or from a JSON body where a
 * client sends one; numbers and booleans may come as their text (a query string has nothing else).
 */

const Id = (name: string) =>
  applyDecorators(IsDefined({ message: `${name} is required` }), IsString({ message: `${name} must be a string` }), Matches(/^[A-Za-z0-9_*.-]{1,64}$/, { message: `${name} must be 1-64 of A-Z a-z 0-9 _ - . *` }));
const OptionalId = (name: string) => applyDecorators(IsOptional(), IsString({ message: `${name} must be a string` }), Matches(/^[A-Za-z0-9_*.-]{1,64}$/, { message: `${name} must be 1-64 of A-Z a-z 0-9 _ - . *` }));
const OptionalText = (name: string, max: number) => applyDecorators(IsOptional(), IsString({ message: `${name} must be a string` }), MaxLength(max, { message: `${name} must be at most ${max} characters` }));
const OneOf = (name: string, values: number[], meaning: string) =>
  applyDecorators(IsOptional(), FormInt(), IsIn(values, { message: `${name} must be ${meaning}` }));
/** An optional integer; its type is checked before its range (class-validator checks in the order decorators are applied). */
const OptionalInt = (name: string, min: number, max: number) =>
  applyDecorators(
    IsOptional(),
    FormInt(),
    IsInt({ message: `${name} must be an integer` }),
    Min(min, { message: `${name} must be ${min} or more` }),
    Max(max, { message: `${name} must be at most ${max}` }),
  );

/** GET /v1.0/iot-02/building/personnel-cards */
export class PersonnelListParams {
  @Id('projectId') projectId!: string;
  @OptionalId('structureId') structureId?: string;
  /** 1 persons of structureId itself; 2 (default) with its sub-organisations (the bridge knows direct links only). */
  @OneOf('searchType', [1, 2], '1 (structureId only) or 2 (with its sub-organisations)') searchType?: 1 | 2;
  @OptionalText('name', 64) name?: string;
  /** 1 enabled (default), 2 disabled. */
  @OneOf('enabled', [1, 2], '1 (enabled) or 2 (disabled)') enabled?: 1 | 2;
  @OptionalInt('sex', 0, 9) sex?: number;
  @OptionalText('mobile', 32) mobile?: string;
  @OptionalText('feature', 1024) feature?: string;
  /** The document types it String: "0" none, "1" some. */
  @(applyDecorators(IsOptional(), Transform(({ value }) => (typeof value === 'number' ? String(value) : value)), IsIn(['0', '1'], { message: 'holdCard must be 0 (no card) or 1 (holds a card)' })))
  holdCard?: '0' | '1';
  @OneOf('containPassword', [0, 1], '0 (no card password) or 1 (has one)') containPassword?: 0 | 1;
  @OptionalInt('page', 1, 1_000_000) page?: number;
  @OptionalInt('pageSize', 1, 200) pageSize?: number;
  @OneOf('cardStatus', [1, 2], '1 (normal) or 2 (frozen)') cardStatus?: 1 | 2;
  @OptionalText('cardNo', 32) cardNo?: string;
  @OptionalId('personId') personId?: string;
  @OneOf('cardType', [1, 2], '1 (physical) or 2 (virtual)') cardType?: 1 | 2;
}

/** GET …/actions/hold-cards. The document marks cardNo required, which would list one card at most; it is optional here. */
export class HoldCardsParams {
  @Id('projectId') projectId!: string;
  @Id('personId') personId!: string;
  @OneOf('cardStatus', [1, 2], '1 (normal) or 2 (frozen)') cardStatus?: 1 | 2;
  @OptionalText('cardNo', 32) cardNo?: string;
}

/** GET …/actions/personnel-detail */
export class PersonnelDetailParams {
  @Id('projectId') projectId!: string;
  @Id('personId') personId!: string;
}

/**
 * PUT …/actions/edit-password. `encryptPassword` is sent to Tuya as it is (a caller that
 * encrypts as Tuya requires); or `password`, the card password in clear (4-12 digits), which the
 * bridge encrypts. Exactly one of them unless clearPassword is true. Never stored or logged.
 */
export class EditPasswordParams {
  @Id('projectId') projectId!: string;
  @Id('personId') personId!: string;
  @(applyDecorators(IsDefined({ message: 'clearPassword is required' }), FormBoolean(), IsBoolean({ message: 'clearPassword must be true or false' })))
  clearPassword!: boolean;
  @(applyDecorators(
    ValidateIf((p: EditPasswordParams) => p.encryptPassword !== undefined || (p.clearPassword === false && p.password === undefined)),
    IsDefined({ message: 'encryptPassword (or password) is required unless clearPassword is true' }),
    IsString({ message: 'encryptPassword must be a string' }),
    Matches(/^([0-9A-Fa-f]{32}){1,8}$|^$/, { message: 'encryptPassword must be the encrypted password in hex (whole 16-byte blocks)' }),
  ))
  encryptPassword?: string;
  @(applyDecorators(IsOptional(), IsString({ message: 'password must be a string' }), Matches(/^\d{4,12}$/, { message: 'password must be 4 to 12 digits' })))
  password?: string;
}
