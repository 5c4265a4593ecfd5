import { Body, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { AdminController, AdminPageQuery, pageWindow } from '@onecard/platform';
import { ClientsService } from './clients.service';
import { CreateClientDto } from './dto/client-admin.dto';

/** Operators: OAuth2 clients. The secret is given once, stored hashed, never shown. */
@AdminController('clients')
export class ClientsAdminController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  create(@Body() dto: CreateClientDto) {
    return this.clients.create(dto);
  }

  @Get()
  list(@Query() query: AdminPageQuery) {
    return this.clients.list(pageWindow(query));
  }

  @Get(':clientId')
  get(@Param('clientId') clientId: string) {
    return this.clients.get(clientId);
  }

  /** Also revokes every code and token issued to the client. */
  @Delete(':clientId')
  async remove(@Param('clientId') clientId: string) {
    await this.clients.remove(clientId);
    return {};
  }
}
