import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { ApiTokenGuard } from './api-token.guard';
import { ClientsAdminController } from './clients-admin.controller';
import { ClientsService } from './clients.service';
import { OAuthModel } from './oauth-model';
import { AccessTokenCache } from './token-cache';
import { OAuthServer } from './oauth-server';
import { OAuthSweep } from './oauth-sweep';
import { OAuthController } from './oauth.controller';

/** The OAuth2 server (authorize, token), its clients, and the guard every documented call sits behind. */
@Module({
  imports: [UsersModule],
  controllers: [OAuthController, ClientsAdminController],
  providers: [AccessTokenCache, OAuthModel, OAuthServer, OAuthSweep, ClientsService, ApiTokenGuard],
  exports: [OAuthServer, ApiTokenGuard],
})
export class OAuthModule {}
