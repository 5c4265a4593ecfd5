import { applyDecorators, Body, Controller, Get, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard } from '@onecard/platform';
import { EDIT_PASSWORD, HOLD_CARDS, PERSONNEL_CARDS, PERSONNEL_DETAIL } from '../tuya-api/personnel-cards.api';
import { EditPasswordParams, HoldCardsParams, PersonnelDetailParams, PersonnelListParams } from './dto/personnel-cards.params';
import { CardPasswordService } from './card-password.service';
import { PersonnelQueries } from './personnel-queries.service';
import { tuyaParams } from './tuya-params';

/** The document's paths, behind the operator token, answered in Tuya's envelope (the app's). */
const PersonnelCardsController = () => applyDecorators(Controller(), UseGuards(AdminTokenGuard), ApiBearerAuth(), ApiTags('personnel-cards'));

/** Tuya's personnel-card API served from the synced copy; edit-password goes on to Tuya. */
@PersonnelCardsController()
export class PersonnelCardsHttpController {
  constructor(
    private readonly queries: PersonnelQueries,
    private readonly passwords: CardPasswordService,
  ) {}

  @Get(PERSONNEL_CARDS)
  @ApiOperation({ summary: '获取人员持卡列表: persons with paging (page, pageSize) and the document\'s filters' })
  async list(@Query() query: unknown, @Body() body: unknown) {
    return this.queries.list(await tuyaParams(PersonnelListParams, query, body));
  }

  @Get(HOLD_CARDS)
  @ApiOperation({ summary: '获取人员持卡详情: one person\'s cards' })
  async holdCards(@Query() query: unknown, @Body() body: unknown) {
    return this.queries.holdCards(await tuyaParams(HoldCardsParams, query, body));
  }

  @Get(PERSONNEL_DETAIL)
  @ApiOperation({ summary: '获取人员基本信息' })
  async detail(@Query() query: unknown, @Body() body: unknown) {
    return this.queries.detail(await tuyaParams(PersonnelDetailParams, query, body));
  }

  @Put(EDIT_PASSWORD)
  @ApiOperation({ summary: '编辑卡密码: forwarded to Tuya (a clear password is encrypted by the bridge), never stored' })
  async editPassword(@Query() query: unknown, @Body() body: unknown) {
    return this.passwords.edit(await tuyaParams(EditPasswordParams, query, body));
  }
}
