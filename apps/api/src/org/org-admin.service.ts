import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type {
  AdminGroup,
  AdminPerson,
  AdminPersonDetail,
  AdminTeam,
  AuditEntry,
  AuditLogResponse,
  GroupDirector,
  MembershipRole,
  PeopleListResponse,
  TeamMember,
} from '@candor/contracts';
import { badRequest, conflict, DomainError, notFound } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { audit } from '../common/audit-log';
import { likePattern, returned } from '../common/sql';
import { lockOrgTree } from './org-tree-lock';
import { groupsAbove } from '../kernel/org-tree.sql';
import type {
  CreateGroupDto,
  CreatePersonDto,
  CreateTeamDto,
  UpdateGroupDto,
  UpdatePersonDto,
  UpdateTeamDto,
} from './dto/org.dto';

interface GroupRow {
  id: string;
  name: string;
  parent_id: string | null;
  created_at: Date;
}
interface TeamRow {
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
interface PersonRow {
  id: string;
  email: string;
  name: string;
  is_admin: boolean;
  active: boolean;
  has_password: boolean;
  created_at: Date;
}

const toGroup = (r: GroupRow): AdminGroup => ({
  id: r.id,
  name: r.name,
  parentId: r.parent_id,
  createdAt: r.created_at.toISOString(),
});
const toTeam = (r: TeamRow, defaultK: number): AdminTeam => ({
  id: r.id,
  name: r.name,
  groupId: r.group_id,
  active: r.active,
  memberCount: Number(r.member_count),
  leadCount: Number(r.lead_count),
  createdAt: r.created_at.toISOString(),
  activeMemberCount: Number(r.active_member_count),
  nextK: r.schedule_k ?? defaultK,
  activeSchedules: Number(r.active_schedules),
});
const toPerson = (r: PersonRow): AdminPerson => ({
  id: r.id,
  email: r.email,
  name: r.name,
  isAdmin: r.is_admin,
  active: r.active,
  hasPassword: r.has_password,
  createdAt: r.created_at.toISOString(),
});

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
/**
 * An admin giving themselves access to results (a membership or a director scope) is allowed and
 * audited as such: `self: true` in the row, so other admins can find it (docs/security.md,
 * "Administrators and results").
 */
const selfGrant = (actorId: string, userId: string) => (actorId === userId ? { self: true } : {});

const PERSON_SELECT = `SELECT u.id, u.email, u.name, u.is_admin, u.active, u.password_hash IS NOT NULL AS has_password, u.created_at
  FROM app_user u`;

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';
const emailTaken = () =>
  new DomainError('email_taken', 409, 'A person with this email already exists', {
    email: ['is already used by another person'],
  });

/**
 * Organisation administration: groups (a tree), teams, people, memberships and director
 * scopes. Every change writes an audit row in the same transaction. Changes that narrow what a
 * person may see bump their token version, so their sessions end on the next request.
 */
@Injectable()
export class OrgAdminService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private tx<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  // ------------------------------------------------------------ groups

  async listGroups(): Promise<AdminGroup[]> {
    const rows: GroupRow[] = await this.dataSource.query(
      'SELECT id, name, parent_id, created_at FROM org_group ORDER BY lower(name), id',
    );
    return rows.map(toGroup);
  }

  private async group(m: EntityManager, id: string, lock = false): Promise<GroupRow> {
    const rows: GroupRow[] = await m.query(
      `SELECT id, name, parent_id, created_at FROM org_group WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (!rows[0]) throw notFound('Group');
    return rows[0];
  }

  private async requireParent(m: EntityManager, parentId: string, field: string): Promise<void> {
    const rows: unknown[] = await m.query('SELECT 1 FROM org_group WHERE id = $1', [parentId]);
    if (rows.length === 0)
      throw badRequest('validation_failed', 'Some fields are not valid', {
        [field]: ['is not an existing group'],
      });
  }

  async createGroup(actorId: string, dto: CreateGroupDto): Promise<AdminGroup> {
    return this.tx(async (m) => {
      if (dto.parentId) await this.requireParent(m, dto.parentId, 'parentId');
      const rows: GroupRow[] = await m.query(
        'INSERT INTO org_group (name, parent_id) VALUES ($1, $2) RETURNING id, name, parent_id, created_at',
        [dto.name, dto.parentId ?? null],
      );
      const row = rows[0]!;
      await audit(m, actorId, 'group.create', row.id, { name: row.name, parentId: row.parent_id });
      return toGroup(row);
    });
  }

  /** Rename and/or move. A move under itself or under one of its descendants is refused (409). */
  async updateGroup(actorId: string, id: string, dto: UpdateGroupDto): Promise<AdminGroup> {
    return this.tx(async (m) => {
      const moving = dto.parentId !== undefined;
      if (moving) await lockOrgTree(m);
      const before = await this.group(m, id, true);
      const changes: Record<string, unknown> = {};
      if (dto.name !== undefined && dto.name !== before.name)
        changes.name = { from: before.name, to: dto.name };
      if (moving && dto.parentId !== before.parent_id) {
        const parentId = dto.parentId ?? null;
        if (parentId !== null) {
          await this.requireParent(m, parentId, 'parentId');
          // Walk up from the new parent: meeting the group itself means the move closes a loop.
          const loop: unknown[] = await m.query(
            `WITH RECURSIVE ${groupsAbove('up', '$1::uuid')}
             SELECT 1 FROM up WHERE id = $2 LIMIT 1`,
            [parentId, id],
          );
          if (loop.length > 0) {
            const message =
              parentId === id
                ? 'A group cannot be its own parent'
                : 'This move would put the group under one of its own sub-groups, which would create a cycle. Move that sub-group out first.';
            throw new DomainError('group_cycle', 409, message, {
              parentId: [
                parentId === id
                  ? 'cannot be the group itself'
                  : 'is inside this group: that would be a cycle',
              ],
            });
          }
        }
        changes.parentId = { from: before.parent_id, to: parentId };
      }
      if (Object.keys(changes).length === 0) return toGroup(before);
      const rows = returned<GroupRow>(
        await m.query(
          `UPDATE org_group SET name = $2, parent_id = $3 WHERE id = $1 RETURNING id, name, parent_id, created_at`,
          [id, dto.name ?? before.name, moving ? (dto.parentId ?? null) : before.parent_id],
        ),
      );
      await audit(m, actorId, moving && changes.parentId ? 'group.move' : 'group.rename', id, changes);
      return toGroup(rows[0]!);
    });
  }

  // ------------------------------------------------------------ teams

  async listTeams(groupId?: string): Promise<AdminTeam[]> {
    const rows: TeamRow[] = await this.dataSource.query(
      `${TEAM_SELECT} WHERE ($1::uuid IS NULL OR t.group_id = $1) ORDER BY lower(t.name), t.id`,
      [groupId ?? null],
    );
    return rows.map((r) => toTeam(r, this.config.defaultK));
  }

  private async team(m: EntityManager, id: string): Promise<AdminTeam> {
    const rows: TeamRow[] = await m.query(`${TEAM_SELECT} WHERE t.id = $1`, [id]);
    if (!rows[0]) throw notFound('Team');
    return toTeam(rows[0], this.config.defaultK);
  }

  async createTeam(actorId: string, dto: CreateTeamDto): Promise<AdminTeam> {
    return this.tx(async (m) => {
      await this.requireParent(m, dto.groupId, 'groupId');
      const rows: { id: string }[] = await m.query(
        'INSERT INTO team (name, group_id) VALUES ($1, $2) RETURNING id',
        [dto.name, dto.groupId],
      );
      const id = rows[0]!.id;
      await audit(m, actorId, 'team.create', id, { name: dto.name, groupId: dto.groupId });
      return this.team(m, id);
    });
  }

  /** Rename, move to another group, deactivate or reactivate. Deactivated teams keep their history. */
  async updateTeam(actorId: string, id: string, dto: UpdateTeamDto): Promise<AdminTeam> {
    return this.tx(async (m) => {
      const rows: { name: string; group_id: string; active: boolean }[] = await m.query(
        'SELECT name, group_id, active FROM team WHERE id = $1 FOR UPDATE',
        [id],
      );
      const before = rows[0];
      if (!before) throw notFound('Team');
      const changes: Record<string, unknown> = {};
      if (dto.name !== undefined && dto.name !== before.name)
        changes.name = { from: before.name, to: dto.name };
      if (dto.groupId !== undefined && dto.groupId !== before.group_id) {
        await this.requireParent(m, dto.groupId, 'groupId');
        changes.groupId = { from: before.group_id, to: dto.groupId };
      }
      if (dto.active !== undefined && dto.active !== before.active)
        changes.active = { from: before.active, to: dto.active };
      if (Object.keys(changes).length === 0) return this.team(m, id);
      await m.query('UPDATE team SET name = $2, group_id = $3, active = $4 WHERE id = $1', [
        id,
        dto.name ?? before.name,
        dto.groupId ?? before.group_id,
        dto.active ?? before.active,
      ]);
      if (changes.active && dto.active === false) {
        // Members and leads lose what the team gave them: their sessions end.
        await m.query(
          'UPDATE app_user SET token_version = token_version + 1 WHERE id IN (SELECT user_id FROM membership WHERE team_id = $1)',
          [id],
        );
      }
      const action = changes.active
        ? dto.active
          ? 'team.reactivate'
          : 'team.deactivate'
        : changes.groupId
          ? 'team.move'
          : 'team.rename';
      await audit(m, actorId, action, id, changes);
      return this.team(m, id);
    });
  }

  async teamMembers(teamId: string): Promise<TeamMember[]> {
    const exists: unknown[] = await this.dataSource.query('SELECT 1 FROM team WHERE id = $1', [teamId]);
    if (exists.length === 0) throw notFound('Team');
    const rows: { user_id: string; email: string; name: string; active: boolean; role: MembershipRole }[] =
      await this.dataSource.query(
        `SELECT m.user_id, u.email, u.name, u.active, m.role FROM membership m JOIN app_user u ON u.id = m.user_id
          WHERE m.team_id = $1 ORDER BY m.role DESC, lower(u.name), u.id`,
        [teamId],
      );
    return rows.map((r) => ({
      userId: r.user_id,
      email: r.email,
      name: r.name,
      active: r.active,
      role: r.role,
    }));
  }

  // ------------------------------------------------------------ people

  /** Keyset paging on email (unique): stable under inserts, cheap at any depth. */
  async listPeople(opts: {
    q?: string;
    cursor?: string;
    limit: number;
    includeInactive: boolean;
  }): Promise<PeopleListResponse> {
    let after: string | null = null;
    if (opts.cursor) {
      after = Buffer.from(opts.cursor, 'base64url').toString('utf8');
      if (after === '' || after.length > 254)
        throw badRequest('validation_failed', 'Some fields are not valid', {
          cursor: ['must be a cursor from a previous page'],
        });
    }
    const q = opts.q?.trim() ?? '';
    const rows: PersonRow[] = await this.dataSource.query(
      `${PERSON_SELECT}
        WHERE ($1::text IS NULL OR u.email ILIKE $1 ESCAPE '\\' OR u.name ILIKE $1 ESCAPE '\\')
          AND ($2::text IS NULL OR u.email > $2)
          AND ($3::boolean OR u.active)
        ORDER BY u.email
        LIMIT $4`,
      [q === '' ? null : likePattern(q), after, opts.includeInactive, opts.limit + 1],
    );
    const page = rows.slice(0, opts.limit);
    const last = page[page.length - 1];
    return {
      people: page.map(toPerson),
      nextCursor:
        rows.length > opts.limit && last ? Buffer.from(last.email, 'utf8').toString('base64url') : null,
    };
  }

  async person(id: string, m: EntityManager = this.dataSource.manager): Promise<AdminPersonDetail> {
    const rows: PersonRow[] = await m.query(`${PERSON_SELECT} WHERE u.id = $1`, [id]);
    if (!rows[0]) throw notFound('Person');
    const memberships: { team_id: string; team_name: string; team_active: boolean; role: MembershipRole }[] =
      await m.query(
        `SELECT t.id AS team_id, t.name AS team_name, t.active AS team_active, m.role
         FROM membership m JOIN team t ON t.id = m.team_id WHERE m.user_id = $1 ORDER BY lower(t.name), t.id`,
        [id],
      );
    const scopes: { group_id: string; group_name: string }[] = await m.query(
      `SELECT g.id AS group_id, g.name AS group_name FROM director_scope d JOIN org_group g ON g.id = d.group_id
        WHERE d.user_id = $1 ORDER BY lower(g.name), g.id`,
      [id],
    );
    return {
      ...toPerson(rows[0]),
      memberships: memberships.map((r) => ({
        teamId: r.team_id,
        teamName: r.team_name,
        teamActive: r.team_active,
        role: r.role,
      })),
      directorOf: scopes.map((r) => ({ groupId: r.group_id, groupName: r.group_name })),
    };
  }

  async createPerson(actorId: string, dto: CreatePersonDto): Promise<AdminPersonDetail> {
    const email = dto.email.toLowerCase();
    try {
      return await this.tx(async (m) => {
        const rows: { id: string }[] = await m.query(
          'INSERT INTO app_user (email, name, is_admin) VALUES ($1, $2, $3) RETURNING id',
          [email, dto.name, dto.isAdmin ?? false],
        );
        const id = rows[0]!.id;
        await audit(m, actorId, 'person.create', id, {
          email,
          name: dto.name,
          isAdmin: dto.isAdmin ?? false,
        });
        return this.person(id, m);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw emailTaken();
      throw err;
    }
  }

  /**
   * Rename, change the email, deactivate/reactivate, change the admin flag. Deactivating or changing the admin
   * flag bumps the token version: every session of that person ends on its next request.
   */
  async updatePerson(actorId: string, id: string, dto: UpdatePersonDto): Promise<AdminPersonDetail> {
    try {
      return await this.tx(async (m) => {
        const rows: { name: string; email: string; active: boolean; is_admin: boolean }[] = await m.query(
          'SELECT name, email, active, is_admin FROM app_user WHERE id = $1 FOR UPDATE',
          [id],
        );
        const before = rows[0];
        if (!before) throw notFound('Person');
        if (id === actorId && (dto.active === false || dto.isAdmin === false)) {
          throw conflict(
            'cannot_demote_self',
            'You cannot deactivate yourself or remove your own admin rights; ask another admin',
          );
        }
        const email = dto.email?.toLowerCase();
        const changes: Record<string, unknown> = {};
        if (dto.name !== undefined && dto.name !== before.name)
          changes.name = { from: before.name, to: dto.name };
        if (email !== undefined && email !== before.email) changes.email = { from: before.email, to: email };
        if (dto.active !== undefined && dto.active !== before.active)
          changes.active = { from: before.active, to: dto.active };
        if (dto.isAdmin !== undefined && dto.isAdmin !== before.is_admin)
          changes.isAdmin = { from: before.is_admin, to: dto.isAdmin };
        if (Object.keys(changes).length > 0) {
          const bump = changes.active !== undefined || changes.isAdmin !== undefined;
          await m.query(
            `UPDATE app_user SET name = $2, email = $3, active = $4, is_admin = $5, token_version = token_version + $6
              WHERE id = $1`,
            [
              id,
              dto.name ?? before.name,
              email ?? before.email,
              dto.active ?? before.active,
              dto.isAdmin ?? before.is_admin,
              bump ? 1 : 0,
            ],
          );
          const action =
            changes.active !== undefined
              ? dto.active
                ? 'person.reactivate'
                : 'person.deactivate'
              : changes.isAdmin !== undefined
                ? 'person.admin'
                : changes.email !== undefined
                  ? 'person.email'
                  : 'person.rename';
          await audit(m, actorId, action, id, changes);
        }
        return this.person(id, m);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw emailTaken();
      throw err;
    }
  }

  // ------------------------------------------------------------ memberships and director scopes

  private async requireTeamAndPerson(m: EntityManager, teamId: string, userId: string): Promise<void> {
    const t: unknown[] = await m.query('SELECT 1 FROM team WHERE id = $1', [teamId]);
    if (t.length === 0) throw notFound('Team');
    const u: unknown[] = await m.query('SELECT 1 FROM app_user WHERE id = $1', [userId]);
    if (u.length === 0) throw notFound('Person');
  }

  /** Adds the person to the team or changes their role. A role change ends their sessions. */
  async setMembership(
    actorId: string,
    teamId: string,
    userId: string,
    role: MembershipRole,
  ): Promise<TeamMember> {
    return this.tx(async (m) => {
      await this.requireTeamAndPerson(m, teamId, userId);
      const existing: { role: MembershipRole }[] = await m.query(
        'SELECT role FROM membership WHERE team_id = $1 AND user_id = $2 FOR UPDATE',
        [teamId, userId],
      );
      const before = existing[0]?.role ?? null;
      if (before === null) {
        await m.query(
          'INSERT INTO membership (user_id, team_id, role) VALUES ($1, $2, $3) ON CONFLICT ON CONSTRAINT uq_membership_user_team DO UPDATE SET role = EXCLUDED.role',
          [userId, teamId, role],
        );
        await audit(m, actorId, 'membership.add', teamId, { userId, role, ...selfGrant(actorId, userId) });
      } else if (before !== role) {
        await m.query('UPDATE membership SET role = $3 WHERE team_id = $1 AND user_id = $2', [
          teamId,
          userId,
          role,
        ]);
        await m.query('UPDATE app_user SET token_version = token_version + 1 WHERE id = $1', [userId]);
        await audit(m, actorId, 'membership.role', teamId, {
          userId,
          role: { from: before, to: role },
          ...selfGrant(actorId, userId),
        });
      }
      const rows: { email: string; name: string; active: boolean }[] = await m.query(
        'SELECT email, name, active FROM app_user WHERE id = $1',
        [userId],
      );
      return { userId, email: rows[0]!.email, name: rows[0]!.name, active: rows[0]!.active, role };
    });
  }

  async removeMembership(actorId: string, teamId: string, userId: string): Promise<void> {
    await this.tx(async (m) => {
      await this.requireTeamAndPerson(m, teamId, userId);
      const rows = returned<{ role: MembershipRole }>(
        await m.query('DELETE FROM membership WHERE team_id = $1 AND user_id = $2 RETURNING role', [
          teamId,
          userId,
        ]),
      );
      if (!rows[0]) throw notFound('Membership');
      await m.query('UPDATE app_user SET token_version = token_version + 1 WHERE id = $1', [userId]);
      await audit(m, actorId, 'membership.remove', teamId, { userId, role: rows[0].role });
    });
  }

  async directors(groupId: string): Promise<GroupDirector[]> {
    await this.group(this.dataSource.manager, groupId);
    const rows: { user_id: string; email: string; name: string }[] = await this.dataSource.query(
      `SELECT d.user_id, u.email, u.name FROM director_scope d JOIN app_user u ON u.id = d.user_id
        WHERE d.group_id = $1 ORDER BY lower(u.name), u.id`,
      [groupId],
    );
    return rows.map((r) => ({ userId: r.user_id, email: r.email, name: r.name }));
  }

  async grantDirector(actorId: string, groupId: string, userId: string): Promise<void> {
    await this.tx(async (m) => {
      await this.group(m, groupId);
      const u: unknown[] = await m.query('SELECT 1 FROM app_user WHERE id = $1', [userId]);
      if (u.length === 0) throw notFound('Person');
      const rows: unknown[] = await m.query(
        'INSERT INTO director_scope (user_id, group_id) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT uq_director_scope_user_group DO NOTHING RETURNING id',
        [userId, groupId],
      );
      if (rows.length > 0)
        await audit(m, actorId, 'director.grant', groupId, { userId, ...selfGrant(actorId, userId) });
    });
  }

  async revokeDirector(actorId: string, groupId: string, userId: string): Promise<void> {
    await this.tx(async (m) => {
      await this.group(m, groupId);
      const rows = returned<{ id: string }>(
        await m.query('DELETE FROM director_scope WHERE user_id = $1 AND group_id = $2 RETURNING id', [
          userId,
          groupId,
        ]),
      );
      if (rows.length === 0) throw notFound('Director scope');
      await m.query('UPDATE app_user SET token_version = token_version + 1 WHERE id = $1', [userId]);
      await audit(m, actorId, 'director.revoke', groupId, { userId });
    });
  }

  // ------------------------------------------------------------ audit log

  async auditLog(opts: { cursor?: string; limit: number; action?: string }): Promise<AuditLogResponse> {
    const rows: {
      id: string;
      at: Date;
      actor_id: string | null;
      actor_email: string | null;
      action: string;
      target: string | null;
      detail: Record<string, unknown>;
    }[] = await this.dataSource.query(
      `SELECT a.id::text AS id, a.at, a.actor_id, u.email AS actor_email, a.action, a.target, a.detail
           FROM audit_log a LEFT JOIN app_user u ON u.id = a.actor_id
          WHERE ($1::bigint IS NULL OR a.id < $1) AND ($2::text IS NULL OR a.action = $2)
          ORDER BY a.id DESC LIMIT $3`,
      [opts.cursor ?? null, opts.action ?? null, opts.limit + 1],
    );
    const page = rows.slice(0, opts.limit);
    const entries: AuditEntry[] = page.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorEmail: r.actor_email,
      action: r.action,
      target: r.target,
      detail: r.detail,
    }));
    return { entries, nextCursor: rows.length > opts.limit ? (page[page.length - 1]?.id ?? null) : null };
  }
}
