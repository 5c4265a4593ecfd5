import { Body, Post, UseGuards } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AnswerWith } from '@onecard/platform';
import { CHECK_ANSWERS } from '../wire/ret-codes';
import { CurrentDevice, DeviceTokenGuard } from '../auth/device-token.guard';
import type { Device } from '../devices/device-registry';
import { CardCheckService } from './card-check.service';
import { CARD_OUTCOMES, CheckAnswer, checkAnswersDoc } from './check-outcome';
import { CardCheckDto, CardCheckLogDto } from './dto/check.dto';
import { ValidatorController } from '../wire/validator-controller';

/** 4.2 and 4.3: card taps checked online, and offline taps uploaded. */
@ValidatorController()
@UseGuards(DeviceTokenGuard)
export class CardCheckController {
  constructor(private readonly checks: CardCheckService) {}

  @Post('card_check')
  @AnswerWith(CHECK_ANSWERS)
  @ApiOperation({
    summary: "Check a card now, against the whitelist, the device's line and its check window",
    description:
      'Decided in this order: outside the check window; on the list with flag 0; not on the list (white_mode 1); ' +
      'not on the device line (is_line_white 1); valid. Every check is published as card.checked.\n\n' + checkAnswersDoc(CARD_OUTCOMES),
  })
  check(@Body() dto: CardCheckDto, @CurrentDevice() device: Device): Promise<CheckAnswer> {
    return this.checks.check(device, dto);
  }

  @Post('card_check_log')
  @ApiOperation({
    summary: 'Upload an offline tap (accepted or not); the same device, card and time is stored and published once however often uploaded',
  })
  async log(@Body() dto: CardCheckLogDto, @CurrentDevice() device: Device): Promise<Record<string, never>> {
    await this.checks.log(device, dto);
    return {};
  }
}
