import type { MembershipRole } from '@candor/contracts';

/** The signed-in person, as loaded fresh on every request. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  tokenVersion: number;
  /** teamId → role */
  teams: Map<string, { teamName: string; role: MembershipRole }>;
  directorOf: { id: string; name: string }[];
}

export interface JwtPayload {
  sub: string;
  /** token version: a sign-out or role change bumps it and older tokens stop working */
  ver: number;
  /** Expiry (seconds since the epoch): always set when signing; a token without it is refused. */
  exp?: number;
}

/** Where the session token of this request was read from (set by the JWT strategy's extractor). */
export type SessionSource = 'bearer' | 'cookie';
export const SESSION_SOURCE = Symbol('candor:session-source');
export type RequestWithSession = { [SESSION_SOURCE]?: SessionSource };

export const SESSION_COOKIE = 'candor_session';
