import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { LoginResponse, UserSummary } from '@candor/contracts';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { User } from '../kernel/org.entities';
import { Authenticated, CurrentUser, Public } from './auth.decorators';
import { AuthService, toSummary } from './auth.service';
import { type AuthUser, SESSION_COOKIE } from './auth.types';
import { LoginDto } from './dto/login.dto';
import { LocalAuthGuard } from './local.strategy';
import { LoginThrottle } from './login-throttle';
import { setSessionCookie } from './session-cookie';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: LoginThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiOkResponse({
    description: 'Signed in: a bearer token, and the same token as an httpOnly session cookie',
  })
  async login(
    @Body() _body: LoginDto,
    @Req() req: Request & { user: User },
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    const result = await this.auth.login(req.user);
    this.throttle.rememberDevice(req, res, req.user.email);
    setSessionCookie(req, res, result.accessToken, this.config.jwt.ttlSeconds);
    return result;
  }

  @Authenticated()
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(user.id);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Authenticated()
  @Get('me')
  me(@CurrentUser() user: AuthUser): UserSummary {
    return toSummary(user);
  }
}
