import { Global, Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module';
import { DeviceTokenGuard } from './device-token.guard';
import { GetTokenController } from './get-token.controller';
import { TokenService } from './token.service';

@Global()
@Module({
  imports: [DevicesModule],
  controllers: [GetTokenController],
  providers: [TokenService, DeviceTokenGuard],
  exports: [TokenService, DeviceTokenGuard, DevicesModule],
})
export class AuthModule {}
