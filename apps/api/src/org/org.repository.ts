import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import type { MembershipRole } from '@candor/contracts';
import { returned } from '../common/sql';
import { groupsAbove } from '../kernel/org-tree.sql';

/** A transaction's manager, or the data source's for a plain read. */
export type Db = EntityManager;

export interface GroupRow {
  id: string;
  name: string;
  parent_id: string | null;
  created_at: Date;
}
export interface TeamRow {
  id: string;
  name: string;
  group_id: string;
  active: boolean;
  created_at: Date;
  member_count: number;
  lead_count: number;
  active_member_count: number;
  /** Largest k of the active schedules covering the team; null when none does. */
  schedule_k: number | null;
  active_schedules: number;
}
export interface TeamStateRow {
  name: string;
  group_id: string;
  active: boolean;
}
export interface TeamMemberRow {
  user_id: string;
  email: string;
  name: string;
  active: boolean;
  role: MembershipRole;
}
export interface PersonRow {
  id: string;
  email: string;
  name: string;
  is_admin: boolean;
  active: boolean;
  has_password: boolean;
  created_at: Date;
}
export interface PersonStateRow {
  name: string;
  email: string;
  active: boolean;
  is_admin: boolean;
}
export interface PersonMembershipRow {
  team_id: string;
  team_name: string;
  team_active: boolean;
  role: MembershipRole;
}
export interface PersonScopeRow {
  group_id: string;
  group_name: string;
}
export interface DirectorRow {
  user_id: string;
  email: string;
  name: string;
}
export interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

const GROUP_COLUMNS = 'id, name, parent_id, created_at';

/**
 * A team with its counts, and the active schedules that cover it (its own, or one of a group above
 * it): a team with fewer active members than the largest of their k can never show results.
 */
const TEAM_SELECT = `SELECT t.id, t.name, t.group_id, t.active, t.created_at,
    (SELECT count(*)::int FROM membership m WHERE m.team_id = t.id) AS member_count,
    (SELECT count(*)::int FROM membership m WHERE m.team_id = t.id AND m.role = 'lead') AS lead_count,
    (SELECT count(*)::int FROM membership m JOIN app_user u ON u.id = m.user_id
      WHERE m.team_id = t.id AND u.active) AS active_member_count,
    covering.schedule_k, covering.active_schedules
  FROM team t
  CROSS JOIN LATERAL (
    WITH RECURSIVE ${groupsAbove('above', 't.group_id')}
    SELECT max(s.k)::int AS schedule_k, count(*)::int AS active_schedules FROM schedule s
     WHERE s.active AND (s.team_id = t.id OR s.group_id IN (SELECT id FROM above))
  ) covering`;

const PERSON_SELECT = `SELECT u.id, u.email, u.name, u.is_admin, u.active, u.password_hash IS NOT NULL AS has_password, u.created_at
  FROM app_user u`;

const exists = async (db: Db, sql: string, params: unknown[]): Promise<boolean> =>
  ((await db.query(sql, params)) as unknown[]).length > 0;

/** The organisation's SQL: groups, teams, people, memberships, director scopes, the audit log. */
@Injectable()
export class OrgRepository {
  // ------------------------------------------------------------ groups

  groups(db: Db): Promise<GroupRow[]> {
    return db.query(`SELECT ${GROUP_COLUMNS} FROM org_group ORDER BY lower(name), id`);
  }

  async group(db: Db, id: string, lock = false): Promise<GroupRow | null> {
    const rows: GroupRow[] = await db.query(
      `SELECT ${GROUP_COLUMNS} FROM org_group WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  groupExists(db: Db, id: string): Promise<boolean> {
    return exists(db, 'SELECT 1 FROM org_group WHERE id = $1', [id]);
  }

  async insertGroup(db: Db, name: string, parentId: string | null): Promise<GroupRow> {
    const rows: GroupRow[] = await db.query(
      `INSERT INTO org_group (name, parent_id) VALUES ($1, $2) RETURNING ${GROUP_COLUMNS}`,
      [name, parentId],
    );
    return rows[0]!;
  }

  /** Whether `groupId` is `start` or one of the groups above it. */
  isAtOrAbove(db: Db, groupId: string, start: string): Promise<boolean> {
    return exists(
      db,
      `WITH RECURSIVE ${groupsAbove('up', '$1::uuid')} SELECT 1 FROM up WHERE id = $2 LIMIT 1`,
      [start, groupId],
    );
  }

  async updateGroup(db: Db, id: string, name: string, parentId: string | null): Promise<GroupRow> {
    const rows = returned<GroupRow>(
      await db.query(
        `UPDATE org_group SET name = $2, parent_id = $3 WHERE id = $1 RETURNING ${GROUP_COLUMNS}`,
        [id, name, parentId],
      ),
    );
    return rows[0]!;
  }

  // ------------------------------------------------------------ teams

  teams(db: Db, groupId: string | null): Promise<TeamRow[]> {
    return db.query(
      `${TEAM_SELECT} WHERE ($1::uuid IS NULL OR t.group_id = $1) ORDER BY lower(t.name), t.id`,
      [groupId],
    );
  }

  async team(db: Db, id: string): Promise<TeamRow | null> {
    const rows: TeamRow[] = await db.query(`${TEAM_SELECT} WHERE t.id = $1`, [id]);
    return rows[0] ?? null;
  }

  teamExists(db: Db, id: string): Promise<boolean> {
    return exists(db, 'SELECT 1 FROM team WHERE id = $1', [id]);
  }

  async insertTeam(db: Db, name: string, groupId: string): Promise<string> {
    const rows: { id: string }[] = await db.query(
      'INSERT INTO team (name, group_id) VALUES ($1, $2) RETURNING id',
      [name, groupId],
    );
    return rows[0]!.id;
  }

  async lockTeam(db: Db, id: string): Promise<TeamStateRow | null> {
    const rows: TeamStateRow[] = await db.query(
      'SELECT name, group_id, active FROM team WHERE id = $1 FOR UPDATE',
      [id],
    );
    return rows[0] ?? null;
  }

  async updateTeam(db: Db, id: string, team: TeamStateRow): Promise<void> {
    await db.query('UPDATE team SET name = $2, group_id = $3, active = $4 WHERE id = $1', [
      id,
      team.name,
      team.group_id,
      team.active,
    ]);
  }

  teamMembers(db: Db, teamId: string): Promise<TeamMemberRow[]> {
    return db.query(
      `SELECT m.user_id, u.email, u.name, u.active, m.role FROM membership m JOIN app_user u ON u.id = m.user_id
        WHERE m.team_id = $1 ORDER BY m.role DESC, lower(u.name), u.id`,
      [teamId],
    );
  }

  // ------------------------------------------------------------ people

  /** One keyset page on email: `pattern` a LIKE pattern or null, `after` the last email seen. */
  people(
    db: Db,
    page: { pattern: string | null; after: string | null; includeInactive: boolean; limit: number },
  ): Promise<PersonRow[]> {
    return db.query(
      `${PERSON_SELECT}
        WHERE ($1::text IS NULL OR u.email ILIKE $1 ESCAPE '\\' OR u.name ILIKE $1 ESCAPE '\\')
          AND ($2::text IS NULL OR u.email > $2)
          AND ($3::boolean OR u.active)
        ORDER BY u.email
        LIMIT $4`,
      [page.pattern, page.after, page.includeInactive, page.limit],
    );
  }

  async person(db: Db, id: string): Promise<PersonRow | null> {
    const rows: PersonRow[] = await db.query(`${PERSON_SELECT} WHERE u.id = $1`, [id]);
    return rows[0] ?? null;
  }

  personExists(db: Db, id: string): Promise<boolean> {
    return exists(db, 'SELECT 1 FROM app_user WHERE id = $1', [id]);
  }

  personMemberships(db: Db, id: string): Promise<PersonMembershipRow[]> {
    return db.query(
      `SELECT t.id AS team_id, t.name AS team_name, t.active AS team_active, m.role
         FROM membership m JOIN team t ON t.id = m.team_id WHERE m.user_id = $1 ORDER BY lower(t.name), t.id`,
      [id],
    );
  }

  personScopes(db: Db, id: string): Promise<PersonScopeRow[]> {
    return db.query(
      `SELECT g.id AS group_id, g.name AS group_name FROM director_scope d JOIN org_group g ON g.id = d.group_id
        WHERE d.user_id = $1 ORDER BY lower(g.name), g.id`,
      [id],
    );
  }

  async insertPerson(db: Db, email: string, name: string, isAdmin: boolean): Promise<string> {
    const rows: { id: string }[] = await db.query(
      'INSERT INTO app_user (email, name, is_admin) VALUES ($1, $2, $3) RETURNING id',
      [email, name, isAdmin],
    );
    return rows[0]!.id;
  }

  async lockPerson(db: Db, id: string): Promise<PersonStateRow | null> {
    const rows: PersonStateRow[] = await db.query(
      'SELECT name, email, active, is_admin FROM app_user WHERE id = $1 FOR UPDATE',
      [id],
    );
    return rows[0] ?? null;
  }

  /** Writes the person's fields; `endSessions` bumps the token version in the same statement. */
  async updatePerson(db: Db, id: string, person: PersonStateRow, endSessions: boolean): Promise<void> {
    await db.query(
      `UPDATE app_user SET name = $2, email = $3, active = $4, is_admin = $5, token_version = token_version + $6
        WHERE id = $1`,
      [id, person.name, person.email, person.active, person.is_admin, endSessions ? 1 : 0],
    );
  }

  /** Every session of the person ends on its next request. */
  async endSessions(db: Db, userId: string): Promise<void> {
    await db.query('UPDATE app_user SET token_version = token_version + 1 WHERE id = $1', [userId]);
  }

  /** Every session of the team's members and leads ends on its next request. */
  async endSessionsOfTeam(db: Db, teamId: string): Promise<void> {
    await db.query(
      'UPDATE app_user SET token_version = token_version + 1 WHERE id IN (SELECT user_id FROM membership WHERE team_id = $1)',
      [teamId],
    );
  }

  // ------------------------------------------------------------ memberships and director scopes

  async lockMembershipRole(db: Db, teamId: string, userId: string): Promise<MembershipRole | null> {
    const rows: { role: MembershipRole }[] = await db.query(
      'SELECT role FROM membership WHERE team_id = $1 AND user_id = $2 FOR UPDATE',
      [teamId, userId],
    );
    return rows[0]?.role ?? null;
  }

  async insertMembership(db: Db, teamId: string, userId: string, role: MembershipRole): Promise<void> {
    await db.query(
      'INSERT INTO membership (user_id, team_id, role) VALUES ($1, $2, $3) ON CONFLICT ON CONSTRAINT uq_membership_user_team DO UPDATE SET role = EXCLUDED.role',
      [userId, teamId, role],
    );
  }

  async updateMembershipRole(db: Db, teamId: string, userId: string, role: MembershipRole): Promise<void> {
    await db.query('UPDATE membership SET role = $3 WHERE team_id = $1 AND user_id = $2', [
      teamId,
      userId,
      role,
    ]);
  }

  /** Removes the membership; its role, or null when there was none. */
  async deleteMembership(db: Db, teamId: string, userId: string): Promise<MembershipRole | null> {
    const rows = returned<{ role: MembershipRole }>(
      await db.query('DELETE FROM membership WHERE team_id = $1 AND user_id = $2 RETURNING role', [
        teamId,
        userId,
      ]),
    );
    return rows[0]?.role ?? null;
  }

  directors(db: Db, groupId: string): Promise<DirectorRow[]> {
    return db.query(
      `SELECT d.user_id, u.email, u.name FROM director_scope d JOIN app_user u ON u.id = d.user_id
        WHERE d.group_id = $1 ORDER BY lower(u.name), u.id`,
      [groupId],
    );
  }

  /** Adds the scope; false when the person already had it. */
  insertDirectorScope(db: Db, groupId: string, userId: string): Promise<boolean> {
    return exists(
      db,
      'INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT uq_director_scope_user_group DO NOTHING RETURNING id',
      [userId, groupId],
    );
  }

  /** Removes the scope; false when there was none. */
  async deleteDirectorScope(db: Db, groupId: string, userId: string): Promise<boolean> {
    const rows = returned<{ id: string }>(
      await db.query('DELETE FROM director_scope WHERE user_id = $1 AND group_id = $2 RETURNING id', [
        userId,
        groupId,
      ]),
    );
    return rows.length > 0;
  }

  // ------------------------------------------------------------ audit log

  /** One page of the audit log, newest first: ids below `before`, of one action if given. */
  auditPage(
    db: Db,
    page: { before: string | null; action: string | null; limit: number },
  ): Promise<AuditRow[]> {
    return db.query(
      `SELECT a.id::text AS id, a.at, a.actor_id, u.email AS actor_email, a.action, a.target, a.detail
           FROM audit_log a LEFT JOIN app_user u ON u.id = a.actor_id
          WHERE ($1::bigint IS NULL OR a.id < $1) AND ($2::text IS NULL OR a.action = $2)
          ORDER BY a.id DESC LIMIT $3`,
      [page.before, page.action, page.limit],
    );
  }
}
