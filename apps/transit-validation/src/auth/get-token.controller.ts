import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { GetTokenDto } from './dto/get-token.dto';
import { TokenService } from './token.service';
import { ValidatorController } from '../wire/validator-controller';

/** 获取token接口 (under TRANSIT_BASE_PATH). */
@ValidatorController()
export class GetTokenController {
  constructor(private readonly tokens: TokenService) {}

  @Post('get_token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Token for the other validator calls',
    description: 'sign = lowercase hex HMAC-SHA256(secret, device_id + timestamp + nonce). Answer: {token, expires_in (seconds)}. ' +
      'The token goes in the body field `token` or in `Authorization: Bearer`.',
  })
  getToken(@Body() dto: GetTokenDto): Promise<{ token: string; expires_in: number }> {
    return this.tokens.issue(dto);
  }
}
