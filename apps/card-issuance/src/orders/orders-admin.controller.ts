import { Body, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { AdminController } from '@onecard/platform';
import { CreateOrderDto, OrderListQuery } from './dto/order.dto';
import { OrdersService } from './orders.service';

/** Operators: orders and their pickup codes. */
@AdminController('orders')
export class OrdersAdminController {
  constructor(private readonly orders: OrdersService) {}

  /** `data {orderId, pickupCode}`: the only time the pickup code is shown. */
  @Post()
  create(@Body() dto: CreateOrderDto) {
    return this.orders.create(dto);
  }

  @Get()
  list(@Query() query: OrderListQuery) {
    return this.orders.list(query);
  }

  @Get(':orderId')
  get(@Param('orderId') orderId: string) {
    return this.orders.get(orderId);
  }

  @Post(':orderId/cancel')
  @HttpCode(200)
  cancel(@Param('orderId') orderId: string) {
    return this.orders.cancel(orderId);
  }

  /** A new pickup code for a pending order (lost code, or redeemed at a kiosk the user left). */
  @Post(':orderId/pickup-code')
  @HttpCode(200)
  renewPickupCode(@Param('orderId') orderId: string) {
    return this.orders.renewPickupCode(orderId);
  }
}

/** Operators: lift a phone number's pickup-code lockout. */
@AdminController('pickup-locks')
export class PickupLocksAdminController {
  constructor(private readonly orders: OrdersService) {}

  @Delete(':phoneNumber')
  unlock(@Param('phoneNumber') phoneNumber: string) {
    return this.orders.unlockPhone(phoneNumber);
  }
}
