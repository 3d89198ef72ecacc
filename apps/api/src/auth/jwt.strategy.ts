import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { unauthorized } from '../common/errors';
import { AuthService } from './auth.service';
import { type AuthUser, type JwtPayload, SESSION_COOKIE } from './auth.types';

const fromCookie = (req: Request): string | null => {
  const cookies = (req as Request & { cookies?: Record<string, string> }).cookies;
  return cookies?.[SESSION_COOKIE] ?? null;
};

/** Bearer token for API clients, httpOnly cookie for the web app. One algorithm, issuer and audience checked. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([ExtractJwt.fromAuthHeaderAsBearerToken(), fromCookie]),
      secretOrKey: config.jwt.secret,
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      ignoreExpiration: false,
    });
  }

  async validate(payload: JwtPayload): Promise<AuthUser> {
    if (typeof payload.sub !== 'string' || typeof payload.ver !== 'number') throw unauthorized();
    const user = await this.auth.loadAuthUser(payload.sub, payload.ver);
    if (!user) throw unauthorized('Your session has ended. Sign in again.');
    return user;
  }
}
