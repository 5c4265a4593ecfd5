import { Body, HttpCode, Post } from '@nestjs/common';
import { assertOwnMachine, Kiosk, KioskController } from '../kiosk-auth/kiosk-controller';
import type { KioskIdentity } from '../kiosk-auth/machine-credentials';
import { OpenCardUserDetailDto } from './dto/order.dto';
import { PickupService } from './pickup.service';

/** Kiosk call 3: openCardUserDetail. */
@KioskController()
export class OrdersKioskController {
  constructor(private readonly pickup: PickupService) {}

  /** 获取开卡用户信息: redeems the pickup code at this kiosk and returns the user's data. */
  @Post('openCardUserDetail')
  @HttpCode(200)
  userDetail(@Body() dto: OpenCardUserDetailDto, @Kiosk() kiosk: KioskIdentity) {
    assertOwnMachine(kiosk, dto.machineNo);
    return this.pickup.redeem(kiosk, dto);
  }
}
