import type { Request, Response } from 'express';
import { SESSION_COOKIE } from './auth.types';

/**
 * Sets the session cookie after a sign-in of any kind (password, e-mailed link, single sign-on):
 * HTTP-only, SameSite=Lax, Secure when the request came over HTTPS (as `TRUST_PROXY` lets the
 * app see it behind a proxy), for the token's lifetime.
 */
export function setSessionCookie(req: Request, res: Response, accessToken: string, ttlSeconds: number): void {
  res.cookie(SESSION_COOKIE, accessToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    maxAge: ttlSeconds * 1000,
  });
}
