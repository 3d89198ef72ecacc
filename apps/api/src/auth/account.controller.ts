import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthProvidersResponse } from '@candor/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DomainError } from '../common/errors';
import { AccountService } from './account.service';
import { Authenticated, CurrentUser, Public } from './auth.decorators';
import { type AuthUser, SESSION_COOKIE } from './auth.types';
import { ChangePasswordDto, PasswordResetDto, SetPasswordWithTokenDto } from './dto/account.dto';
import { LoginThrottle } from './login-throttle';

/** Password reset, invitation acceptance, password change and the sign-in methods on offer. */
@ApiTags('auth')
@Controller('auth')
export class AccountController {
  constructor(
    private readonly accounts: AccountService,
    private readonly throttle: LoginThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('providers')
  @ApiOkResponse({ description: 'Which sign-in methods this installation offers' })
  providers(): AuthProvidersResponse {
    const oidc = this.config.auth.oidc !== null;
    return { password: true, oidc: { enabled: oidc, startUrl: oidc ? '/api/auth/oidc/start' : null } };
  }

  @Public()
  @Post('password-reset')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'If the account exists and is active, a reset link is on its way' })
  @ApiTooManyRequestsResponse({ description: 'Too many requests from this address or for this account' })
  async requestReset(
    @Body() dto: PasswordResetDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const email = dto.email.trim().toLowerCase();
    const keys = [`reset-ip:${req.ip ?? 'unknown'}`, `reset-account:${email}`];
    const wait = this.throttle.retryAfter(keys);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new DomainError(
        'too_many_attempts',
        429,
        `Too many reset requests. Try again in ${wait} seconds.`,
      );
    }
    this.throttle.fail(keys);
    await this.accounts.requestReset(email);
    return { status: 'accepted' };
  }

  @Public()
  @Post('password-reset/confirm')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password set; every session of the account has ended' })
  async confirmReset(@Body() dto: SetPasswordWithTokenDto): Promise<void> {
    await this.accounts.setPasswordWithToken('reset', dto.token, dto.password);
  }

  @Public()
  @Post('invitations/accept')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password set; sign in with it' })
  async acceptInvitation(@Body() dto: SetPasswordWithTokenDto): Promise<void> {
    await this.accounts.setPasswordWithToken('invite', dto.token, dto.password);
  }

  @Authenticated()
  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password changed; every session, this one included, has ended' })
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.accounts.changePassword(user.id, user.email, dto.currentPassword, dto.newPassword);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}
