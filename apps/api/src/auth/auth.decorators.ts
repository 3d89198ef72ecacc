import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  type CanActivate,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { forbidden, notFound, unauthorized } from '../common/errors';
import { AccessService } from './access.service';
import { type AuthUser, type RequestWithSession, SESSION_SOURCE } from './auth.types';

/**
 * What a route needs beyond being signed in:
 * - `team: 'results'` — may see the released results of the team in the `teamId` route param
 *   (its members and leads, and directors of a group above it);
 * - `team: 'lead'` — is a lead of that team.
 */
export interface AccessRule {
  team?: 'results' | 'lead';
  admin?: boolean;
}

export const ACCESS_RULE = 'candor:access-rule';
export const PUBLIC_ROUTE = 'candor:public';

/** The header the web app sends on state-changing requests signed in with the session cookie. */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'candor';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a state-changing request authenticated by the session cookie must carry
 * `X-Requested-With: candor`. A cross-site form cannot set a header, and a cross-site script can
 * only with a CORS preflight, which only CORS_ORIGINS pass. Bearer clients are not affected (a
 * browser never adds a bearer token by itself). Checked after authentication, on what the JWT
 * strategy actually read: an Authorization header that yields no token does not exempt a cookie.
 */
export function assertCsrfHeader(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  if ((req as Request & RequestWithSession)[SESSION_SOURCE] !== 'cookie') return;
  if (req.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE) {
    throw forbidden(
      'csrf_header_missing',
      'Requests signed in with the session cookie must send the header X-Requested-With: candor',
    );
  }
}

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const ok = (await super.canActivate(context)) as boolean;
    assertCsrfHeader(context.switchToHttp().getRequest<Request>());
    return ok;
  }

  override handleRequest<TUser>(err: unknown, user: TUser | false): TUser {
    if (err || !user) throw err instanceof Error && 'status' in err ? err : unauthorized();
    return user;
  }
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const user = req.user;
    if (!user) throw unauthorized();
    if (rule?.admin && !user.isAdmin) {
      await this.access.recordDenial(user, `${req.method} ${req.route?.path ?? req.path}`, 'admin');
      throw forbidden('admin_only', 'Only administrators can do this');
    }
    if (rule?.team) {
      const teamId = req.params.teamId;
      if (typeof teamId !== 'string') throw notFound('Team');
      const access = await this.access.teamAccess(user, teamId, rule.team);
      if (access === 'missing') throw notFound('Team');
      if (access === 'denied') {
        await this.access.recordDenial(user, `${req.method} ${req.route?.path ?? req.path}`, teamId);
        throw forbidden('team_access_denied', 'You do not have access to this team');
      }
    }
    return true;
  }
}

/** The one decorator for a protected route: guard, access rule and OpenAPI security together. */
export function Authenticated(rule: AccessRule = {}) {
  return applyDecorators(
    SetMetadata(ACCESS_RULE, rule),
    UseGuards(JwtAuthGuard, AccessGuard),
    ApiBearerAuth(),
    ApiCookieAuth(),
    ApiUnauthorizedResponse({ description: 'Not signed in, or the session has ended' }),
    ApiForbiddenResponse({ description: 'Signed in, but not allowed' }),
  );
}

/** Marks a route that answers without credentials (health, docs, sign-in, anonymous submission). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<Request & { user?: AuthUser }>().user;
  if (!user) throw unauthorized();
  return user;
});
