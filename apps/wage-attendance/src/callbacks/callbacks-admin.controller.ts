import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminController } from '@onecard/platform';
import { CallbacksAdminService } from './callbacks-admin.service';
import { CallbackIdParam, CallbackListQuery, ReplayDeadDto } from './dto/callback-admin.dto';

/** Operators: the callback queue (`?status=dead` for dead letters) and replay. */
@AdminController('callbacks')
export class CallbacksAdminController {
  constructor(private readonly callbacks: CallbacksAdminService) {}

  @Get()
  @ApiOperation({ summary: 'Callbacks, newest first; filter by status (pending, delivered, dead) and deviceKey; {items, limit, next}: pass next as cursor for the following page' })
  list(@Query() query: CallbackListQuery) {
    return this.callbacks.list(query);
  }

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Queue every dead letter (of one device) again, in their original order' })
  replayAll(@Body() dto: ReplayDeadDto) {
    return this.callbacks.replayAll(dto.deviceKey);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Queue one dead letter again; it goes before its device’s later callbacks' })
  replay(@Param() params: CallbackIdParam) {
    return this.callbacks.replay(params.id);
  }
}
