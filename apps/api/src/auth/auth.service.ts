import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import type { LoginResponse, UserSummary } from '@candor/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { User } from '../kernel/org.entities';
import { type AuthUser, type JwtPayload } from './auth.types';
import { verifyPassword } from './passwords';

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns the user when the credentials are right and the account is active, otherwise null. */
  async checkCredentials(email: string, password: string): Promise<User | null> {
    const user = await this.dataSource.getRepository(User).findOneBy({ email: email.trim().toLowerCase() });
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    return ok && user && user.active ? user : null;
  }

  async login(user: User): Promise<LoginResponse> {
    const payload: JwtPayload = { sub: user.id, ver: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(payload);
    const authUser = await this.loadAuthUser(user.id, user.tokenVersion);
    if (!authUser) throw new Error('user vanished during sign-in');
    return { accessToken, expiresIn: this.config.jwt.ttlSeconds, user: toSummary(authUser) };
  }

  /** Sign-out everywhere: bumps the token version so every issued token stops working. */
  async logout(userId: string): Promise<void> {
    await this.dataSource.getRepository(User).increment({ id: userId }, 'tokenVersion', 1);
  }

  /** Loads the person behind a token; null when the account is gone, inactive or the token is stale. */
  async loadAuthUser(userId: string, tokenVersion: number): Promise<AuthUser | null> {
    const rows: {
      id: string;
      email: string;
      name: string;
      is_admin: boolean;
      token_version: number;
      teams: { teamId: string; teamName: string; role: 'member' | 'lead' }[] | null;
      groups: { id: string; name: string }[] | null;
    }[] = await this.dataSource.query(
      `SELECT u.id, u.email, u.name, u.is_admin, u.token_version,
              (SELECT json_agg(json_build_object('teamId', t.id, 'teamName', t.name, 'role', m.role) ORDER BY t.name)
                 FROM membership m JOIN team t ON t.id = m.team_id
                WHERE m.user_id = u.id AND t.active) AS teams,
              (SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY g.name)
                 FROM director_scope d JOIN org_group g ON g.id = d.group_id
                WHERE d.user_id = u.id) AS groups
         FROM app_user u
        WHERE u.id = $1 AND u.active`,
      [userId],
    );
    const row = rows[0];
    if (!row || row.token_version !== tokenVersion) return null;
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      isAdmin: row.is_admin,
      tokenVersion: row.token_version,
      teams: new Map((row.teams ?? []).map((t) => [t.teamId, { teamName: t.teamName, role: t.role }])),
      directorOf: row.groups ?? [],
    };
  }
}

export function toSummary(user: AuthUser): UserSummary {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isAdmin: user.isAdmin,
    teams: [...user.teams.entries()].map(([teamId, t]) => ({ teamId, teamName: t.teamName, role: t.role })),
    directorOf: user.directorOf,
  };
}
