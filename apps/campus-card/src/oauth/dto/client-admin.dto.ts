import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsUrl, MaxLength, ValidateIf } from 'class-validator';
import { RequiredPattern } from '../../common/validators';
import { GRANTS, Grant, Scope, SCOPES } from '../scopes';

/** POST /admin/clients: an OAuth2 client (its secret is stored hashed and never shown again). */
export class CreateClientDto {
  @RequiredPattern(/^[A-Za-z0-9_.-]{1,64}$/, '1-64 of A-Z a-z 0-9 _ . -')
  clientId: string;

  /** Printable ASCII without spaces, as RFC 6749 allows in a form and in Basic auth. */
  @RequiredPattern(/^[\x21-\x7E]{16,256}$/, '16-256 printable ASCII characters without spaces', 256)
  clientSecret: string;

  /** Exact redirect URIs; required for the authorization code grant. */
  @ValidateIf((dto: CreateClientDto) => dto.redirectUris !== undefined || (Array.isArray(dto.grants) && dto.grants.includes('authorization_code')))
  @applyDecorators(
    IsArray({ message: 'redirectUris must be a list of URLs (required for the authorization_code grant)' }),
    ArrayMinSize(1, { message: 'redirectUris must hold at least one URL for the authorization_code grant' }),
    ArrayMaxSize(20, { message: 'redirectUris must hold at most 20 URLs' }),
    IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { each: true, message: 'redirectUris must be absolute http(s) URLs' }),
    MaxLength(512, { each: true, message: 'redirectUris must each be at most 512 characters' }),
  )
  redirectUris?: string[];

  @applyDecorators(
    IsArray({ message: `scopes must be a list of ${SCOPES.join(', ')}` }),
    ArrayMinSize(1, { message: 'scopes must hold at least one scope' }),
    ArrayUnique({ message: 'scopes must not repeat a scope' }),
    IsIn(SCOPES, { each: true, message: `scopes must each be one of ${SCOPES.join(', ')}` }),
  )
  scopes: Scope[];

  @applyDecorators(
    IsArray({ message: `grants must be a list of ${GRANTS.join(', ')}` }),
    ArrayMinSize(1, { message: 'grants must hold at least one grant' }),
    ArrayUnique({ message: 'grants must not repeat a grant' }),
    IsIn(GRANTS, { each: true, message: `grants must each be one of ${GRANTS.join(', ')}` }),
  )
  grants: Grant[];

  /** The balance-transfer calls are open to this client (the document's 交我办 App). */
  @IsOptional() @IsBoolean({ message: 'allowTransfer must be true or false' })
  allowTransfer?: boolean;
}
