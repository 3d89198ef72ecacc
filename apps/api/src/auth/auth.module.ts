import { Module } from '@nestjs/common';
import { AccessService } from './access.service';
import { AccountController } from './account.controller';
import { AccountMailer } from './account-mailer';
import { AccountService } from './account.service';
import { AuthController } from './auth.controller';
import { AccessGuard, JwtAuthGuard } from './auth.decorators';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { LocalAuthGuard, LocalStrategy } from './local.strategy';
import { LoginThrottle } from './login-throttle';
import { OidcController } from './oidc.controller';
import { OidcService } from './oidc.service';

/**
 * Sign-in, sessions and the access rules. Every module with controllers imports it: the guards of
 * `@Authenticated()` run in the controller's module and need `AccessService`. `AccountService` is
 * exported for the admin's invitations and password resets (org).
 */
@Module({
  controllers: [AuthController, AccountController, OidcController],
  providers: [
    AuthService,
    AccessService,
    JwtStrategy,
    LocalStrategy,
    LocalAuthGuard,
    LoginThrottle,
    AccountService,
    AccountMailer,
    OidcService,
    JwtAuthGuard,
    AccessGuard,
  ],
  exports: [AccessService, AccountService],
})
export class AuthModule {}
