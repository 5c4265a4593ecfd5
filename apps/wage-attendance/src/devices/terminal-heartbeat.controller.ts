import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { assertOwnDevice, Terminal, TerminalController } from '../terminal-auth/terminal-controller';
import type { TerminalIdentity } from '../terminal-auth/terminal-credentials';
import { DevicesService } from './devices.service';
import { HeartbeatDto } from './dto/heartbeat.dto';

@TerminalController()
export class TerminalHeartbeatController {
  constructor(private readonly devices: DevicesService) {}

  @Post('heartbeat')
  @HttpCode(200)
  @ApiOperation({ summary: 'Online (for TERMINAL_OFFLINE_AFTER_S), version, bound; result {serverTime, latestCursor}: sync when latestCursor is past yours' })
  heartbeat(@Body() dto: HeartbeatDto, @Terminal() terminal: TerminalIdentity) {
    assertOwnDevice(terminal, dto.deviceKey);
    return this.devices.heartbeat(dto.deviceKey, dto.versionNo);
  }
}
