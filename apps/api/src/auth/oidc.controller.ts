import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { FLOW_TTL_SECONDS, OIDC_COOKIE, OidcService, SsoRefused } from './oidc.service';
import { setSessionCookie } from './session-cookie';

/** Only same-site paths: never an open redirect. */
function safeReturnTo(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > 500) return '/';
  return /^\/(?![/\\])[\x21-\x7e]*$/.test(raw) ? raw : '/';
}

/** Single sign-on with OpenID Connect: a browser flow, so it answers with redirects. */
@ApiTags('auth')
@Controller('auth/oidc')
export class OidcController {
  constructor(
    private readonly oidc: OidcService,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('start')
  @ApiQuery({ name: 'returnTo', required: false, description: 'A path in the web app to come back to' })
  @ApiFoundResponse({ description: 'Redirect to the identity provider' })
  async start(
    @Query('returnTo') returnTo: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { url, flowCookie } = await this.oidc.start(safeReturnTo(returnTo));
    res.cookie(OIDC_COOKIE, flowCookie, {
      httpOnly: true,
      // Lax: the cookie must come back on the top-level redirect from the identity provider.
      sameSite: 'lax',
      secure: req.secure,
      path: '/api/auth/oidc',
      maxAge: FLOW_TTL_SECONDS * 1000,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, url);
  }

  @Public()
  @Get('callback')
  @ApiFoundResponse({
    description: 'Signed in: redirect into the app; refused: redirect to /login?sso_error=<code>',
  })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const settings = this.oidc.settings; // 404 when SSO is off
    const flowCookie = (req as Request & { cookies?: Record<string, string> }).cookies?.[OIDC_COOKIE];
    res.clearCookie(OIDC_COOKIE, { path: '/api/auth/oidc' });
    res.setHeader('Cache-Control', 'no-store');
    const callbackUrl = new URL(req.originalUrl, new URL(settings.redirectUri).origin);
    try {
      const { user, returnTo } = await this.oidc.finish(callbackUrl, flowCookie);
      const session = await this.auth.login(user);
      setSessionCookie(req, res, session.accessToken, this.config.jwt.ttlSeconds);
      res.redirect(302, returnTo);
    } catch (err) {
      if (err instanceof SsoRefused) return res.redirect(302, `/login?sso_error=${err.code}`);
      throw err;
    }
  }
}
