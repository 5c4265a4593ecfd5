import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { AllowDisabledMachine, assertOwnMachine, Kiosk, KioskController } from '../kiosk-auth/kiosk-controller';
import type { KioskIdentity } from '../kiosk-auth/machine-credentials';
import { SaveMachineDto } from './dto/save-machine.dto';
import { MachinesService } from './machines.service';

/** Kiosk calls 1 and 2: machineDetail and saveMachine. */
@KioskController()
export class MachinesKioskController {
  constructor(private readonly machines: MachinesService) {}

  /** 获取制卡机信息. A disabled kiosk may still ask, to learn it is disabled. */
  @Get('machineDetail/:machineNo')
  @AllowDisabledMachine()
  detail(@Param('machineNo') machineNo: string, @Kiosk() kiosk: KioskIdentity) {
    assertOwnMachine(kiosk, machineNo);
    return this.machines.detail(machineNo);
  }

  /** 制卡机信息同步: `data` is an empty string. */
  @Post('saveMachine')
  @HttpCode(200)
  async save(@Body() dto: SaveMachineDto, @Kiosk() kiosk: KioskIdentity) {
    assertOwnMachine(kiosk, dto.machineNo);
    await this.machines.saveStock(dto);
    return '';
  }
}
