import { Body, Get, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminController, formatWireTime } from '@onecard/platform';
import { TransitValidationConfig } from '../config';
import { IssueQrDto, RotateQrDto } from './dto/qr.dto';
import { QrKeyRing } from './qr-key-ring';
import { TicketService } from './ticket.service';

/** Operators issue riders' QR tickets and rotate the key groups. */
@AdminController('qrcode')
export class QrAdminController {
  constructor(
    private readonly tickets: TicketService,
    private readonly ring: QrKeyRing,
    private readonly config: TransitValidationConfig,
  ) {}

  @Post('issue')
  @ApiOperation({ summary: "Issue a rider's QR ticket, signed with a key of the current group, valid ttl_seconds" })
  issue(@Body() dto: IssueQrDto): ReturnType<TicketService['issue']> {
    return this.tickets.issue(dto);
  }

  @Post('rotate')
  @ApiOperation({ summary: 'Create a new key group; the previous one keeps checking codes for grace_seconds' })
  async rotate(@Body() dto: RotateQrDto): Promise<{ version_code: string; previous_version_code: string | null; previous_expire_time: string | null }> {
    const r = await this.ring.rotate(dto.grace_seconds);
    return {
      version_code: String(r.version_code),
      previous_version_code: r.previous_version_code === null ? null : String(r.previous_version_code),
      previous_expire_time: r.previous_retire_at ? formatWireTime(r.previous_retire_at, 'yyyy-MM-dd HH:mm:ss', this.config.WIRE_TIME_ZONE) : null,
    };
  }

  @Get('keys')
  @ApiOperation({ summary: 'Valid key groups (public keys only)' })
  keys(): { groups: Array<{ version_code: string; expire_time: string | null; keys: Array<{ key_id: number; key: string }> }> } {
    return {
      groups: this.ring.validGroups().map((g) => ({
        version_code: String(g.versionCode),
        expire_time: g.retireAt ? formatWireTime(g.retireAt, 'yyyy-MM-dd HH:mm:ss', this.config.WIRE_TIME_ZONE) : null,
        keys: g.keys.map((k) => ({ key_id: k.keyId, key: k.publicHex })),
      })),
    };
  }
}
