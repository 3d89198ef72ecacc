import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
import { likePattern } from '../common/sql';
import { lockOrgTree } from './org-tree-lock';
import type {
  CreateGroupDto,
  CreatePersonDto,
  CreateTeamDto,
  UpdateGroupDto,
  UpdatePersonDto,
  UpdateTeamDto,
} from './dto/org.dto';
import {
  changesOf,
  emailOfPeopleCursor,
  endsSessions,
  peopleCursor,
  personUpdateAction,
  teamUpdateAction,
} from './org-changes';
import { type Db, type GroupRow, OrgRepository, type PersonRow, type TeamRow } from './org.repository';

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
 * An admin giving themselves access to results (a membership or a director scope) is allowed and
 * audited as such: `self: true` in the row, so other admins can find it (docs/security.md,
 * "Administrators and results").
 */
const selfGrant = (actorId: string, userId: string) => (actorId === userId ? { self: true } : {});

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
    private readonly repo: OrgRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private tx<T>(work: (m: Db) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  // ------------------------------------------------------------ groups

  async listGroups(): Promise<AdminGroup[]> {
    return (await this.repo.groups(this.dataSource.manager)).map(toGroup);
  }

  private async group(m: Db, id: string, lock = false): Promise<GroupRow> {
    const row = await this.repo.group(m, id, lock);
    if (!row) throw notFound('Group');
    return row;
  }

  private async requireParent(m: Db, parentId: string, field: string): Promise<void> {
    if (!(await this.repo.groupExists(m, parentId)))
      throw badRequest('validation_failed', 'Some fields are not valid', {
        [field]: ['is not an existing group'],
      });
  }

  async createGroup(actorId: string, dto: CreateGroupDto): Promise<AdminGroup> {
    return this.tx(async (m) => {
      if (dto.parentId) await this.requireParent(m, dto.parentId, 'parentId');
      const row = await this.repo.insertGroup(m, dto.name, dto.parentId ?? null);
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
          if (await this.repo.isAtOrAbove(m, id, parentId)) {
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
      const row = await this.repo.updateGroup(
        m,
        id,
        dto.name ?? before.name,
        moving ? (dto.parentId ?? null) : before.parent_id,
      );
      await audit(m, actorId, moving && changes.parentId ? 'group.move' : 'group.rename', id, changes);
      return toGroup(row);
    });
  }

  // ------------------------------------------------------------ teams

  async listTeams(groupId?: string): Promise<AdminTeam[]> {
    const rows: TeamRow[] = await this.repo.teams(this.dataSource.manager, groupId ?? null);
    return rows.map((r) => toTeam(r, this.config.defaultK));
  }

  private async team(m: Db, id: string): Promise<AdminTeam> {
    const row = await this.repo.team(m, id);
    if (!row) throw notFound('Team');
    return toTeam(row, this.config.defaultK);
  }

  async createTeam(actorId: string, dto: CreateTeamDto): Promise<AdminTeam> {
    return this.tx(async (m) => {
      await this.requireParent(m, dto.groupId, 'groupId');
      const id = await this.repo.insertTeam(m, dto.name, dto.groupId);
      await audit(m, actorId, 'team.create', id, { name: dto.name, groupId: dto.groupId });
      return this.team(m, id);
    });
  }

  /** Rename, move to another group, deactivate or reactivate. Deactivated teams keep their history. */
  async updateTeam(actorId: string, id: string, dto: UpdateTeamDto): Promise<AdminTeam> {
    return this.tx(async (m) => {
      const before = await this.repo.lockTeam(m, id);
      if (!before) throw notFound('Team');
      const changes = changesOf({
        name: [before.name, dto.name],
        groupId: [before.group_id, dto.groupId],
        active: [before.active, dto.active],
      });
      if (changes.groupId && dto.groupId) await this.requireParent(m, dto.groupId, 'groupId');
      if (Object.keys(changes).length === 0) return this.team(m, id);
      await this.repo.updateTeam(m, id, {
        name: dto.name ?? before.name,
        group_id: dto.groupId ?? before.group_id,
        active: dto.active ?? before.active,
      });
      // Members and leads lose what the team gave them: their sessions end.
      if (changes.active && dto.active === false) await this.repo.endSessionsOfTeam(m, id);
      await audit(m, actorId, teamUpdateAction(changes), id, changes);
      return this.team(m, id);
    });
  }

  async teamMembers(teamId: string): Promise<TeamMember[]> {
    const db = this.dataSource.manager;
    if (!(await this.repo.teamExists(db, teamId))) throw notFound('Team');
    const rows = await this.repo.teamMembers(db, teamId);
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
    const after = opts.cursor ? emailOfPeopleCursor(opts.cursor) : null;
    if (opts.cursor && after === null) {
      throw badRequest('validation_failed', 'Some fields are not valid', {
        cursor: ['must be a cursor from a previous page'],
      });
    }
    const q = opts.q?.trim() ?? '';
    const rows: PersonRow[] = await this.repo.people(this.dataSource.manager, {
      pattern: q === '' ? null : likePattern(q),
      after,
      includeInactive: opts.includeInactive,
      limit: opts.limit + 1,
    });
    const page = rows.slice(0, opts.limit);
    const last = page[page.length - 1];
    return {
      people: page.map(toPerson),
      nextCursor: rows.length > opts.limit && last ? peopleCursor(last.email) : null,
    };
  }

  async person(id: string, m: Db = this.dataSource.manager): Promise<AdminPersonDetail> {
    const row = await this.repo.person(m, id);
    if (!row) throw notFound('Person');
    const memberships = await this.repo.personMemberships(m, id);
    const scopes = await this.repo.personScopes(m, id);
    return {
      ...toPerson(row),
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
        const id = await this.repo.insertPerson(m, email, dto.name, dto.isAdmin ?? false);
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
        const before = await this.repo.lockPerson(m, id);
        if (!before) throw notFound('Person');
        if (id === actorId && (dto.active === false || dto.isAdmin === false)) {
          throw conflict(
            'cannot_demote_self',
            'You cannot deactivate yourself or remove your own admin rights; ask another admin',
          );
        }
        const email = dto.email?.toLowerCase();
        const changes = changesOf({
          name: [before.name, dto.name],
          email: [before.email, email],
          active: [before.active, dto.active],
          isAdmin: [before.is_admin, dto.isAdmin],
        });
        if (Object.keys(changes).length > 0) {
          await this.repo.updatePerson(
            m,
            id,
            {
              name: dto.name ?? before.name,
              email: email ?? before.email,
              active: dto.active ?? before.active,
              is_admin: dto.isAdmin ?? before.is_admin,
            },
            endsSessions(changes),
          );
          await audit(m, actorId, personUpdateAction(changes), id, changes);
        }
        return this.person(id, m);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw emailTaken();
      throw err;
    }
  }

  // ------------------------------------------------------------ memberships and director scopes

  private async requireTeamAndPerson(m: Db, teamId: string, userId: string): Promise<void> {
    if (!(await this.repo.teamExists(m, teamId))) throw notFound('Team');
    if (!(await this.repo.personExists(m, userId))) throw notFound('Person');
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
      const before = await this.repo.lockMembershipRole(m, teamId, userId);
      if (before === null) {
        await this.repo.insertMembership(m, teamId, userId, role);
        await audit(m, actorId, 'membership.add', teamId, { userId, role, ...selfGrant(actorId, userId) });
      } else if (before !== role) {
        await this.repo.updateMembershipRole(m, teamId, userId, role);
        await this.repo.endSessions(m, userId);
        await audit(m, actorId, 'membership.role', teamId, {
          userId,
          role: { from: before, to: role },
          ...selfGrant(actorId, userId),
        });
      }
      const person = (await this.repo.person(m, userId))!;
      return { userId, email: person.email, name: person.name, active: person.active, role };
    });
  }

  async removeMembership(actorId: string, teamId: string, userId: string): Promise<void> {
    await this.tx(async (m) => {
      await this.requireTeamAndPerson(m, teamId, userId);
      const role = await this.repo.deleteMembership(m, teamId, userId);
      if (!role) throw notFound('Membership');
      await this.repo.endSessions(m, userId);
      await audit(m, actorId, 'membership.remove', teamId, { userId, role });
    });
  }

  async directors(groupId: string): Promise<GroupDirector[]> {
    await this.group(this.dataSource.manager, groupId);
    const rows = await this.repo.directors(this.dataSource.manager, groupId);
    return rows.map((r) => ({ userId: r.user_id, email: r.email, name: r.name }));
  }

  async grantDirector(actorId: string, groupId: string, userId: string): Promise<void> {
    await this.tx(async (m) => {
      await this.group(m, groupId);
      if (!(await this.repo.personExists(m, userId))) throw notFound('Person');
      if (await this.repo.insertDirectorScope(m, groupId, userId))
        await audit(m, actorId, 'director.grant', groupId, { userId, ...selfGrant(actorId, userId) });
    });
  }

  async revokeDirector(actorId: string, groupId: string, userId: string): Promise<void> {
    await this.tx(async (m) => {
      await this.group(m, groupId);
      if (!(await this.repo.deleteDirectorScope(m, groupId, userId))) throw notFound('Director scope');
      await this.repo.endSessions(m, userId);
      await audit(m, actorId, 'director.revoke', groupId, { userId });
    });
  }

  // ------------------------------------------------------------ audit log

  async auditLog(opts: { cursor?: string; limit: number; action?: string }): Promise<AuditLogResponse> {
    const rows = await this.repo.auditPage(this.dataSource.manager, {
      before: opts.cursor ?? null,
      action: opts.action ?? null,
      limit: opts.limit + 1,
    });
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
