import { Body } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { PlatformCall, PlatformController } from '../platform-auth/platform-controller';
import { Answer } from '../wire/platform-envelope';
import { AuthorisationsService } from './authorisations.service';
import { AuthorizeDto, RevokeDto } from './dto/authorisation.dto';

/** The document's calls 6 and 7 (批量授权人员到设备, 人员销权). */
@PlatformController('person')
export class AuthorisationsController {
  constructor(private readonly authorisations: AuthorisationsService) {}

  @PlatformCall('authorize')
  @ApiOperation({ summary: '批量授权人员到设备: queued for the terminal; addPerson callback per person once it confirms' })
  async authorize(@Body() dto: AuthorizeDto) {
    await this.authorisations.authorize(dto);
    return new Answer('批量授权人员到设备', {});
  }

  @PlatformCall('revoke')
  @ApiOperation({ summary: '人员销权: queued for the terminal; deletePerson callback per person once it confirms' })
  async revoke(@Body() dto: RevokeDto) {
    await this.authorisations.revoke(dto.deviceKey, dto.guids);
    return new Answer('人员销权', {});
  }
}
