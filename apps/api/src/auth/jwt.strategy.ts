import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { unauthorized } from '../common/errors';
import { AuthService } from './auth.service';
import { sessionKey } from './session-key';
import {
  type AuthUser,
  type JwtPayload,
  type RequestWithSession,
  SESSION_COOKIE,
  SESSION_SOURCE,
} from './auth.types';

const fromBearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * The bearer token if the Authorization header holds one, else the session cookie — and the
 * request remembers which, so that the CSRF check looks at what actually authenticated it, not
 * at whether the header looks like "Bearer" (`Bearer\u00a0` carries no token).
 */
const sessionToken = (req: Request): string | null => {
  const marked = req as Request & RequestWithSession;
  const bearer = fromBearer(req);
  if (bearer) {
    marked[SESSION_SOURCE] = 'bearer';
    return bearer;
  }
  const cookie = (req as Request & { cookies?: Record<string, string> }).cookies?.[SESSION_COOKIE];
  if (cookie) {
    marked[SESSION_SOURCE] = 'cookie';
    return cookie;
  }
  return null;
};

/** Bearer token for API clients, httpOnly cookie for the web app. One algorithm, issuer and audience checked. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: sessionToken,
      secretOrKey: sessionKey(config.jwt.secret),
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      ignoreExpiration: false,
    });
  }

  async validate(payload: JwtPayload): Promise<AuthUser> {
    // jsonwebtoken checks exp only when it is there: a token without one would never expire.
    if (typeof payload.sub !== 'string' || typeof payload.ver !== 'number' || typeof payload.exp !== 'number')
      throw unauthorized();
    const user = await this.auth.loadAuthUser(payload.sub, payload.ver);
    if (!user) throw unauthorized('Your session has ended. Sign in again.');
    return user;
  }
}
