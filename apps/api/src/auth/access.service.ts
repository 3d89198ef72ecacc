import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SharedLimits } from '../common/shared-limits';
import { type AuthUser } from './auth.types';
import { isUuid } from '../common/ids';
import { groupsAbove } from '../kernel/org-tree.sql';

/** access.denied rows per person per hour; past it one access.denied_suppressed row, then none. */
export const DENIALS_AUDITED_PER_HOUR = 20;

/** Who may see what. Results access is never widened by being an admin. */
@Injectable()
export class AccessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly limits: SharedLimits,
  ) {}

  async teamExists(teamId: string): Promise<boolean> {
    if (!isUuid(teamId)) return false;
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM team WHERE id = $1', [teamId]);
    return rows.length > 0;
  }

  isLead(user: AuthUser, teamId: string): boolean {
    return user.teams.get(teamId)?.role === 'lead';
  }

  isMember(user: AuthUser, teamId: string): boolean {
    return user.teams.has(teamId);
  }

  /**
   * Whether the team exists and the person may use it: `lead` — lead of the team; `results` —
   * member or lead of the team, or director of a group at or above the team's group. One round
   * trip (none for a malformed id).
   */
  async teamAccess(
    user: AuthUser,
    teamId: string,
    need: 'lead' | 'results',
  ): Promise<'missing' | 'allowed' | 'denied'> {
    if (!isUuid(teamId)) return 'missing';
    const byRole = need === 'lead' ? this.isLead(user, teamId) : this.isMember(user, teamId);
    if (byRole || need === 'lead' || user.directorOf.length === 0) {
      if (!(await this.teamExists(teamId))) return 'missing';
      return byRole ? 'allowed' : 'denied';
    }
    const [row]: { found: boolean; directs: boolean }[] = await this.dataSource.query(
      `WITH RECURSIVE ${groupsAbove('up', '(SELECT group_id FROM team WHERE id = $1)')}
       SELECT EXISTS (SELECT 1 FROM team WHERE id = $1) AS found,
              EXISTS (SELECT 1 FROM director_scope d JOIN up ON up.id = d.group_id WHERE d.user_id = $2) AS directs`,
      [teamId, user.id],
    );
    if (!row?.found) return 'missing';
    return row.directs ? 'allowed' : 'denied';
  }

  /**
   * Writes the refusal to the audit log — at most DENIALS_AUDITED_PER_HOUR rows per person per
   * hour (counted in PostgreSQL across instances), then one `access.denied_suppressed` row with
   * the end of the window, so that a signed-in person cannot flood the log. The request is
   * refused either way.
   */
  async recordDenial(user: AuthUser, route: string, target: string): Promise<void> {
    const hit = await this.limits.hit('auditDenied', user.id, DENIALS_AUDITED_PER_HOUR, 3600);
    if (hit.count > DENIALS_AUDITED_PER_HOUR + 1) return;
    const suppressed = hit.count === DENIALS_AUDITED_PER_HOUR + 1;
    await this.dataSource.query(
      `INSERT INTO audit_log (actor_id, action, target, detail) VALUES ($1, $2, $3, $4)`,
      [
        user.id,
        suppressed ? 'access.denied_suppressed' : 'access.denied',
        target,
        JSON.stringify(
          suppressed
            ? {
                route,
                limit: DENIALS_AUDITED_PER_HOUR,
                until: new Date(Date.now() + hit.msLeft).toISOString(),
              }
            : { route },
        ),
      ],
    );
  }
}
