import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthProvidersResponse, LoginResponse } from '@candor/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { User } from '../kernel/org.entities';
import { AccountService, WrongCurrentPassword } from './account.service';
import { Authenticated, CurrentUser, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { type AuthUser, SESSION_COOKIE } from './auth.types';
import { ChangePasswordDto, PasswordResetDto, SetPasswordWithTokenDto } from './dto/account.dto';
import { LoginThrottle } from './login-throttle';
import { setSessionCookie } from './session-cookie';

/**
 * Password reset, invitation acceptance, password change and the sign-in methods on offer.
 * Redeeming a link signs the person in (session cookie and bearer token, as POST /auth/login).
 */
@ApiTags('auth')
@Controller('auth')
export class AccountController {
  constructor(
    private readonly accounts: AccountService,
    private readonly auth: AuthService,
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
    const keys = this.throttle.resetKeys(req, email);
    await this.throttle.assertAllowed(keys, res, 'reset requests');
    await this.throttle.fail(keys);
    this.accounts.requestResetInBackground(email);
    return { status: 'accepted' };
  }

  @Public()
  @Post('password-reset/confirm')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      'Password set; every other session of the account has ended and this browser is signed in (as POST /auth/login)',
  })
  async confirmReset(
    @Body() dto: SetPasswordWithTokenDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    return this.signIn(await this.accounts.setPasswordWithToken('reset', dto.token, dto.password), req, res);
  }

  @Public()
  @Post('invitations/accept')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Password set and signed in (as POST /auth/login)' })
  async acceptInvitation(
    @Body() dto: SetPasswordWithTokenDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    return this.signIn(await this.accounts.setPasswordWithToken('invite', dto.token, dto.password), req, res);
  }

  /** The person just proved they hold the emailed link and chose a password: sign them in. */
  private async signIn(user: User, req: Request, res: Response): Promise<LoginResponse> {
    const session = await this.auth.login(user);
    this.throttle.rememberDevice(req, res, user.email);
    setSessionCookie(req, res, session.accessToken, this.config.jwt.ttlSeconds);
    return session;
  }

  /**
   * Wrong current passwords count like failed sign-ins of this person (LOGIN_MAX_FAILURES_PER_ACCOUNT
   * per window, shared by every instance): a stolen session cannot be used to guess the password.
   */
  @Authenticated()
  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password changed; every session, this one included, has ended' })
  @ApiTooManyRequestsResponse({ description: 'Too many wrong current passwords; see Retry-After' })
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const keys = this.throttle.passwordChangeKeys(user.id);
    await this.throttle.assertAllowed(keys, res, 'wrong passwords');
    try {
      await this.accounts.changePassword(user.id, user.email, dto.currentPassword, dto.newPassword);
    } catch (err) {
      if (err instanceof WrongCurrentPassword) await this.throttle.fail(keys);
      throw err;
    }
    await this.throttle.succeed(keys);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}
