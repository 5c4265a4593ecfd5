import { Body, HttpCode, Post } from '@nestjs/common';
import { assertOwnMachine, Kiosk, KioskController } from '../kiosk-auth/kiosk-controller';
import type { KioskIdentity } from '../kiosk-auth/machine-credentials';
import { ApduExeResultDto, FinishDto, GetOpenCardApduDto } from './dto/personalisation.dto';
import { CardCompletionService } from './card-completion.service';
import { PersonalisationService } from './personalisation.service';

/** Kiosk calls 4, 5 and 6: the online personalisation of a card and its completion. */
@KioskController()
export class PersonalisationController {
  constructor(
    private readonly personalisation: PersonalisationService,
    private readonly completion: CardCompletionService,
  ) {}

  /** 开卡指令获取: starts a session for the card in the printer; `data {userId, cApdus}`. */
  @Post('getOpenCardApdu')
  @HttpCode(200)
  start(@Body() dto: GetOpenCardApduDto, @Kiosk() kiosk: KioskIdentity) {
    return this.personalisation.start(kiosk, dto);
  }

  /** 开卡指令后续: `data {userId, isFinished, cApdus}`; a repeated report gets the same answer. */
  @Post('apduExeResult')
  @HttpCode(200)
  report(@Body() dto: ApduExeResultDto, @Kiosk() kiosk: KioskIdentity) {
    return this.personalisation.report(kiosk, dto);
  }

  /** 制卡完成通知: the order is FINISHED and card.issued emitted (once); `data` is an empty string. */
  @Post('finish')
  @HttpCode(200)
  finish(@Body() dto: FinishDto, @Kiosk() kiosk: KioskIdentity) {
    assertOwnMachine(kiosk, dto.machineNo);
    return this.completion.finish(kiosk, dto);
  }
}
