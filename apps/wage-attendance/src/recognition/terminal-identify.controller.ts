import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { assertOwnDevice, Terminal, TerminalController } from '../terminal-auth/terminal-controller';
import type { TerminalIdentity } from '../terminal-auth/terminal-credentials';
import { IdentifyDto } from './dto/identify.dto';
import { IdentifyService } from './identify.service';

@TerminalController()
export class TerminalIdentifyController {
  constructor(private readonly identify: IdentifyService) {}

  @Post('identify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A recognition record shaped as the identify callback; result {guid, duplicate, type, passTimeType, permissionTimeType, recModeType, cardBlocked, pass}',
  })
  record(@Body() dto: IdentifyDto, @Terminal() terminal: TerminalIdentity) {
    assertOwnDevice(terminal, dto.deviceKey);
    return this.identify.identify(dto);
  }
}
