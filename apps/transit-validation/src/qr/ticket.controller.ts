import { Body, Post, UseGuards } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AnswerWith } from '@onecard/platform';
import { CHECK_ANSWERS } from '../wire/ret-codes';
import { CurrentDevice, DeviceTokenGuard } from '../auth/device-token.guard';
import { CheckAnswer, checkAnswersDoc, TICKET_OUTCOMES } from '../checks/check-outcome';
import type { Device } from '../devices/device-registry';
import { GetQrKeysDto, QrCodeLogDto, TicketCheckDto } from './dto/qr.dto';
import { TicketService } from './ticket.service';
import { ValidatorController } from '../wire/validator-controller';

const QR_FORMAT_DOC =
  'QR code = base64url of: format 0x01 (1 byte) | version_code (uint32 BE) | key_id (uint32 BE) | issued at (uint32 unix s) | ' +
  'expires at (uint32 unix s) | ticket id (8 bytes) | user id length (1 byte) + UTF-8 user id | Ed25519 signature (64 bytes) over all the preceding bytes. ' +
  'Each list item\'s `key` is the 32-byte Ed25519 PUBLIC key, hex: validators can verify codes, never make them.';

/** 5.2–5.4: QR key groups, online ticket checks, offline scan logs. */
@ValidatorController()
@UseGuards(DeviceTokenGuard)
export class TicketController {
  constructor(private readonly tickets: TicketService) {}

  @Post('get_qrcode_keys')
  @ApiOperation({
    summary: 'Keys for checking QR codes offline: the current group and any previous one still in its grace period; version_code is the version of this key set',
    description: QR_FORMAT_DOC,
  })
  keys(@Body() _dto: GetQrKeysDto): { version_code: string; list: Array<{ key_id: number; key: string }> } {
    return this.tickets.keysForDevices();
  }

  @Post('ticket_check')
  @AnswerWith(CHECK_ANSWERS)
  @ApiOperation({
    summary: 'Check a QR ticket now: signature, key group, expiry, check window, single use (a second use anywhere is refused)',
    description: `${QR_FORMAT_DOC}\n\n${checkAnswersDoc(TICKET_OUTCOMES)}`,
  })
  check(@Body() dto: TicketCheckDto, @CurrentDevice() device: Device): Promise<CheckAnswer> {
    return this.tickets.check(device, dto);
  }

  @Post('offline_qrcode_log')
  @ApiOperation({ summary: 'Upload an offline scan (accepted or not); the same device, code and time is stored and published once' })
  async log(@Body() dto: QrCodeLogDto, @CurrentDevice() device: Device): Promise<Record<string, never>> {
    await this.tickets.log(device, dto);
    return {};
  }
}
