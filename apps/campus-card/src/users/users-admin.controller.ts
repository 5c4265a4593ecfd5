import { Body, Get, Param, Post } from '@nestjs/common';
import { AdminController } from '@onecard/platform';
import { CreateUserDto } from './dto/user-admin.dto';
import { UsersService } from './users.service';

/** Operators: cardholders (passwords and query passwords are stored hashed, never shown). */
@AdminController('users')
export class UsersAdminController {
  constructor(private readonly users: UsersService) {}

  @Post()
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  /** The user, their cards and whether a photo is on file. */
  @Get(':userCode')
  get(@Param('userCode') userCode: string) {
    return this.users.adminView(userCode);
  }
}
