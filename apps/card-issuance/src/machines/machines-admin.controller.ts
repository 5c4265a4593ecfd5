import { Body, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IntParam } from '@onecard/kernel';
import { AdminController, AdminPageQuery, pageWindow } from '@onecard/platform';
import { PROJECT_ID } from '../common/validators';
import { CreateMachineDto, UpdateMachineDto } from './dto/machine-admin.dto';
import { MachinesService } from './machines.service';

class MachineListQuery extends AdminPageQuery {
  @IsOptional() @Matches(PROJECT_ID, { message: 'projectId must be 1-64 of A-Z a-z 0-9 _ . -' })
  projectId?: string;

  /** 1 enabled, 2 disabled. */
  @IsOptional() @IntParam('status', { min: 1, max: 2 })
  status?: number;

  @IsOptional() @IsIn(['true', 'false'], { message: 'online must be true or false' })
  online?: 'true' | 'false';

  @IsOptional() @IsIn(['true', 'false'], { message: 'lowStock must be true or false' })
  lowStock?: 'true' | 'false';
}

const flag = (value?: 'true' | 'false') => (value === undefined ? undefined : value === 'true');

/** Operators: register kiosks (the secret is shown once), enable/disable, thresholds, secret rotation; the fleet with online state and stock. */
@AdminController('machines')
export class MachinesAdminController {
  constructor(private readonly machines: MachinesService) {}

  /** `data {machineNo, secret}`: the only time the secret is shown. */
  @Post()
  create(@Body() dto: CreateMachineDto) {
    return this.machines.create(dto);
  }

  @Get()
  list(@Query() query: MachineListQuery) {
    return this.machines.list({
      projectId: query.projectId, status: query.status, online: flag(query.online), lowStock: flag(query.lowStock), ...pageWindow(query),
    });
  }

  @Get(':machineNo')
  get(@Param('machineNo') machineNo: string) {
    return this.machines.get(machineNo);
  }

  /** Status 1 enabled / 2 disabled, address, low-stock thresholds per consumable. */
  @Patch(':machineNo')
  update(@Param('machineNo') machineNo: string, @Body() dto: UpdateMachineDto) {
    return this.machines.update(machineNo, dto);
  }

  /** A new secret (shown once); the old one stops working at once on this replica, within MACHINE_CACHE_MS on others. */
  @Post(':machineNo/secret')
  rotateSecret(@Param('machineNo') machineNo: string) {
    return this.machines.rotateSecret(machineNo);
  }
}
