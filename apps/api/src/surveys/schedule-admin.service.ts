import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import type {
  CycleView,
  ScheduleFields,
  SchedulePreviewResponse,
  ScheduleView,
  TrustSubject,
  SmallTeam,
} from '@candor/contracts';
import { validateK, validateKComments } from '@candor/disclosure';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { badRequest, conflict, forbidden, notFound } from '../common/errors';
import { AccessService } from '../auth/access.service';
import { type AuthUser } from '../auth/auth.types';
import {
  CADENCE_DAYS,
  isValidZone,
  todayIn,
  toOpening,
  upcomingOpenings,
  type Recurrence,
} from './schedule-occurrences';
import { type CreateScheduleDto, type PreviewScheduleDto, type UpdateScheduleDto } from './dto/schedule.dto';
import { isUuid } from '../common/ids';
import { groupsBelow } from '../kernel/org-tree.sql';

const NEXT_OPENINGS = 3;

interface ScheduleRow {
  id: string;
  team_id: string | null;
  team_name: string | null;
  group_id: string | null;
  group_name: string | null;
  instrument: ScheduleView['instrument'];
  trust_subject: TrustSubject | null;
  cadence: ScheduleView['cadence'];
  weekday: number;
  hour: number;
  timezone: string;
  window_days: number;
  k: number;
  k_comments: number | null;
  starts_on: string;
  active: boolean;
}

/** A schedule with every field decided (after defaults), ready to validate and store. */
type Resolved = Required<Omit<ScheduleFields, 'teamId' | 'groupId' | 'trustSubject'>> & {
  teamId: string | null;
  groupId: string | null;
  trustSubject: TrustSubject | null;
};

const SELECT = `SELECT s.id, s.team_id, t.name AS team_name, s.group_id, g.name AS group_name, s.instrument,
       s.trust_subject, s.cadence, s.weekday, s.hour, s.timezone, s.window_days, s.k, s.k_comments,
       to_char(s.starts_on, 'YYYY-MM-DD') AS starts_on, s.active
  FROM schedule s LEFT JOIN team t ON t.id = s.team_id LEFT JOIN org_group g ON g.id = s.group_id`;

/**
 * Who may manage schedules: admins, any team or group; a team's leads, that team's schedules.
 * Every rule between fields is checked here and reported per field (400).
 */
@Injectable()
export class ScheduleAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private assertManager(user: AuthUser): void {
    if (user.isAdmin) return;
    if ([...user.teams.values()].some((t) => t.role === 'lead')) return;
    throw forbidden('schedules_forbidden', 'Only administrators and team leads manage schedules');
  }

  private async assertMayManage(
    user: AuthUser,
    s: { teamId: string | null; groupId: string | null },
    route: string,
  ) {
    if (user.isAdmin) return;
    if (s.groupId !== null) {
      await this.access.recordDenial(user, route, s.groupId);
      throw forbidden('group_schedule_admin_only', 'Only administrators manage schedules for a whole group');
    }
    if (s.teamId === null || !this.access.isLead(user, s.teamId)) {
      await this.access.recordDenial(user, route, s.teamId ?? 'schedule');
      throw forbidden('team_access_denied', 'You can manage schedules of the teams you lead only');
    }
  }

  /**
   * Permission before existence: a lead naming a team they do not lead (or any group) gets the
   * same 403 whether it exists or not, so the answer is no oracle for ids. With neither or both
   * of teamId and groupId, validation reports the shape (400) and this waits.
   */
  private async assertMayManageScope(
    user: AuthUser,
    s: { teamId: string | null; groupId: string | null },
    route: string,
  ): Promise<void> {
    if ((s.teamId === null) !== (s.groupId === null)) await this.assertMayManage(user, s, route);
  }

  async list(
    user: AuthUser,
    filter: { teamId?: string; groupId?: string },
    now: Date,
  ): Promise<ScheduleView[]> {
    this.assertManager(user);
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.teamId !== undefined) {
      if (!isUuid(filter.teamId))
        throw badRequest('invalid_filter', 'Bad filter', { teamId: ['must be a UUID'] });
      params.push(filter.teamId);
      where.push(`s.team_id = $${params.length}`);
    }
    if (filter.groupId !== undefined) {
      if (!isUuid(filter.groupId))
        throw badRequest('invalid_filter', 'Bad filter', { groupId: ['must be a UUID'] });
      params.push(filter.groupId);
      where.push(`s.group_id = $${params.length}`);
    }
    if (!user.isAdmin) {
      const led = [...user.teams.entries()].filter(([, m]) => m.role === 'lead').map(([id]) => id);
      params.push(led);
      where.push(`s.team_id = ANY($${params.length}::uuid[])`);
    }
    const rows: ScheduleRow[] = await this.dataSource.query(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.name NULLS LAST, g.name, s.id`,
      params,
    );
    return rows.map((r) => this.view(r, now));
  }

  async get(user: AuthUser, id: string, now: Date): Promise<ScheduleView> {
    this.assertManager(user);
    const row = await this.row(id);
    await this.assertMayManage(user, { teamId: row.team_id, groupId: row.group_id }, 'GET /schedules/:id');
    return this.view(row, now);
  }

  async create(user: AuthUser, dto: CreateScheduleDto, now: Date): Promise<ScheduleView> {
    this.assertManager(user);
    const s = this.resolve(dto, null, now);
    await this.assertMayManageScope(user, s, 'POST /schedules');
    await this.validate(s, { checkScope: true });
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO schedule (team_id, group_id, instrument, trust_subject, cadence, weekday, hour, timezone,
                             window_days, k, starts_on, active, k_comments)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      this.values(s),
    );
    const id = rows[0]!.id;
    await this.audit(user, 'schedule.create', id, s);
    return this.view(await this.row(id), now);
  }

  async update(user: AuthUser, id: string, dto: UpdateScheduleDto, now: Date): Promise<ScheduleView> {
    this.assertManager(user);
    const before = await this.row(id);
    await this.assertMayManage(
      user,
      { teamId: before.team_id, groupId: before.group_id },
      'PATCH /schedules/:id',
    );
    const s = this.resolve(dto, before, now);
    await this.assertMayManageScope(user, s, 'PATCH /schedules/:id');
    await this.validate(s, { checkScope: true });
    // k changes apply to future cycles only: open and closed cycles keep the k they opened with.
    await this.dataSource.query(
      `UPDATE schedule SET team_id = $1, group_id = $2, instrument = $3, trust_subject = $4, cadence = $5,
              weekday = $6, hour = $7, timezone = $8, window_days = $9, k = $10, starts_on = $11, active = $12,
              k_comments = $13
        WHERE id = $14`,
      [...this.values(s), id],
    );
    await this.audit(user, 'schedule.update', id, s);
    return this.view(await this.row(id), now);
  }

  async preview(
    user: AuthUser,
    dto: PreviewScheduleDto,
    count: number,
    now: Date,
  ): Promise<SchedulePreviewResponse> {
    this.assertManager(user);
    const fields: Record<string, string[]> = {};
    for (const f of ['cadence', 'weekday', 'hour', 'windowDays'] as const) {
      if (dto[f] === undefined) fields[f] = ['is required'];
    }
    if (Object.keys(fields).length > 0)
      throw badRequest('invalid_schedule', 'Some fields are not valid', fields);
    const s = this.resolve({ instrument: 'psych-safety', ...dto }, null, now);
    await this.validate(s, { checkScope: false });
    const audience = await this.audience(user, s);
    return {
      timezone: s.timezone,
      openings: upcomingOpenings(this.recurrence(s), now, count).map(toOpening),
      ...(audience ? { audience } : {}),
    };
  }

  /**
   * The active teams a schedule would survey and those among them with fewer active members than
   * its k (they could never show results). Only for a scope the caller may schedule (admins: any;
   * leads: their own teams); otherwise nothing, so that a preview reveals no other team's size.
   */
  private async audience(
    user: AuthUser,
    s: Resolved,
  ): Promise<{ teams: number; smallTeams: SmallTeam[] } | null> {
    if ((s.teamId === null) === (s.groupId === null)) return null;
    const scope = s.teamId ?? s.groupId!;
    if (!isUuid(scope)) return null;
    if (!user.isAdmin && (s.teamId === null || !this.access.isLead(user, s.teamId))) return null;
    const rows: { id: string; name: string; members: number }[] = await this.dataSource.query(
      `WITH RECURSIVE ${groupsBelow('tree', '$2::uuid')}
       SELECT t.id, t.name,
              (SELECT count(*)::int FROM membership m JOIN app_user u ON u.id = m.user_id
                WHERE m.team_id = t.id AND u.active) AS members
         FROM team t
        WHERE t.active AND (t.id = $1::uuid OR t.group_id IN (SELECT id FROM tree))
        ORDER BY lower(t.name), t.id`,
      [s.teamId, s.groupId],
    );
    return {
      teams: rows.length,
      smallTeams: rows
        .filter((r) => r.members < s.k)
        .map((r) => ({ teamId: r.id, teamName: r.name, activeMembers: r.members })),
    };
  }

  /** PATCH /cycles/:id { k }: k is locked once a cycle has opened, so any change is refused. */
  async updateCycleK(user: AuthUser, cycleId: string, k: unknown): Promise<CycleView> {
    const cycle = await this.cycle(user, cycleId, 'PATCH /cycles/:cycleId');
    const problem = validateK(k);
    if (problem) throw badRequest('invalid_k', `k ${problem}`, { k: [problem] });
    if (k !== cycle.k) {
      throw conflict(
        'k_locked',
        `k is locked once a cycle opens (this one opened with k = ${cycle.k}); change the schedule's k for future cycles`,
      );
    }
    return cycle;
  }

  async cycle(user: AuthUser, cycleId: string, route = 'GET /cycles/:cycleId'): Promise<CycleView> {
    if (!isUuid(cycleId)) throw notFound('Cycle');
    const rows: {
      id: string;
      team_id: string;
      schedule_id: string | null;
      instrument_version: string;
      opens_at: Date;
      closes_at: Date;
      status: 'open' | 'closed';
      k: number;
      invited: number;
    }[] = await this.dataSource.query(
      `SELECT id, team_id, schedule_id, instrument_version, opens_at, closes_at, status, k, invited FROM cycle WHERE id = $1`,
      [cycleId],
    );
    const c = rows[0];
    if (!c) throw notFound('Cycle');
    if (!user.isAdmin && !this.access.isLead(user, c.team_id)) {
      await this.access.recordDenial(user, route, c.team_id);
      throw forbidden('team_access_denied', 'Only the team lead or an administrator can do this');
    }
    return {
      id: c.id,
      teamId: c.team_id,
      scheduleId: c.schedule_id,
      instrument: c.instrument_version,
      opensAt: new Date(c.opens_at).toISOString(),
      closesAt: new Date(c.closes_at).toISOString(),
      status: c.status,
      k: c.k,
      invited: c.invited,
    };
  }

  // ---------------------------------------------------------------- helpers

  private async row(id: string): Promise<ScheduleRow> {
    if (!isUuid(id)) throw notFound('Schedule');
    const rows: ScheduleRow[] = await this.dataSource.query(`${SELECT} WHERE s.id = $1`, [id]);
    if (!rows[0]) throw notFound('Schedule');
    return rows[0];
  }

  /** Request fields over the stored schedule (update) or the defaults (create). */
  private resolve(dto: Partial<ScheduleFields>, before: ScheduleRow | null, now: Date): Resolved {
    const timezone = dto.timezone ?? before?.timezone ?? this.config.timezone;
    const scopeGiven = dto.teamId !== undefined || dto.groupId !== undefined;
    const teamId = scopeGiven ? (dto.teamId ?? null) : (before?.team_id ?? null);
    const groupId = scopeGiven ? (dto.groupId ?? null) : (before?.group_id ?? null);
    const instrument = dto.instrument ?? before?.instrument ?? 'psych-safety';
    let trustSubject = dto.trustSubject !== undefined ? dto.trustSubject : (before?.trust_subject ?? null);
    if (instrument === 'trust-equation' && trustSubject === null) trustSubject = 'team';
    if (instrument !== 'trust-equation' && dto.trustSubject === undefined) trustSubject = null;
    return {
      teamId,
      groupId,
      instrument,
      trustSubject,
      cadence: dto.cadence ?? before?.cadence ?? 'weekly',
      weekday: dto.weekday ?? before?.weekday ?? 1,
      hour: dto.hour ?? before?.hour ?? 9,
      timezone,
      windowDays: dto.windowDays ?? before?.window_days ?? 5,
      k: dto.k ?? before?.k ?? this.config.defaultK,
      kComments: dto.kComments !== undefined ? dto.kComments : (before?.k_comments ?? null),
      startsOn: dto.startsOn ?? before?.starts_on ?? todayIn(isValidZone(timezone) ? timezone : 'UTC', now),
      active: dto.active ?? before?.active ?? true,
    };
  }

  private async validate(s: Resolved, opts: { checkScope: boolean }): Promise<void> {
    const fields: Record<string, string[]> = {};
    const add = (field: string, message: string) => (fields[field] ??= []).push(message);
    if (opts.checkScope) {
      if ((s.teamId === null) === (s.groupId === null)) {
        add(s.teamId === null ? 'teamId' : 'groupId', 'give exactly one of teamId and groupId');
      } else if (s.teamId !== null) {
        const team: { active: boolean }[] = await this.dataSource.query(
          'SELECT active FROM team WHERE id = $1',
          [s.teamId],
        );
        if (!team[0]) add('teamId', 'no such team');
        else if (!team[0].active) add('teamId', 'this team is not active');
      } else {
        const group: unknown[] = await this.dataSource.query('SELECT 1 FROM org_group WHERE id = $1', [
          s.groupId,
        ]);
        if (group.length === 0) add('groupId', 'no such group');
      }
    }
    if (s.instrument !== 'trust-equation' && s.trustSubject !== null) {
      add('trustSubject', 'applies to the trust-equation instrument only');
    }
    if (!isValidZone(s.timezone)) add('timezone', 'must be an IANA time zone such as Europe/Berlin');
    const kProblem = validateK(s.k);
    if (kProblem) add('k', kProblem);
    else if (s.kComments !== null) {
      const kCommentsProblem = validateKComments(s.kComments, s.k);
      if (kCommentsProblem) add('kComments', kCommentsProblem);
    }
    if (s.windowDays > CADENCE_DAYS[s.cadence]) {
      add(
        'windowDays',
        `must not be longer than the cadence (${CADENCE_DAYS[s.cadence]} days for ${s.cadence})`,
      );
    }
    const start = DateTime.fromISO(s.startsOn, { zone: 'utc' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s.startsOn) || !start.isValid)
      add('startsOn', 'must be a date YYYY-MM-DD');
    else if (start.year < 2000 || start.year > 2200) add('startsOn', 'must be between 2000 and 2200');
    if (Object.keys(fields).length > 0)
      throw badRequest('invalid_schedule', 'Some fields are not valid', fields);
  }

  private values(s: Resolved): unknown[] {
    return [
      s.teamId,
      s.groupId,
      s.instrument,
      s.trustSubject,
      s.cadence,
      s.weekday,
      s.hour,
      s.timezone,
      s.windowDays,
      s.k,
      s.startsOn,
      s.active,
      s.kComments,
    ];
  }

  private recurrence(
    s: Pick<Resolved, 'cadence' | 'weekday' | 'hour' | 'timezone' | 'windowDays' | 'startsOn'>,
  ) {
    const r: Recurrence = {
      cadence: s.cadence,
      weekday: s.weekday,
      hour: s.hour,
      timezone: s.timezone,
      windowDays: s.windowDays,
      startsOn: s.startsOn,
    };
    return r;
  }

  private view(r: ScheduleRow, now: Date): ScheduleView {
    const rec = this.recurrence({
      cadence: r.cadence,
      weekday: r.weekday,
      hour: r.hour,
      timezone: r.timezone,
      windowDays: r.window_days,
      startsOn: r.starts_on,
    });
    return {
      id: r.id,
      teamId: r.team_id,
      teamName: r.team_name,
      groupId: r.group_id,
      groupName: r.group_name,
      instrument: r.instrument,
      trustSubject: r.trust_subject,
      cadence: r.cadence,
      weekday: r.weekday,
      hour: r.hour,
      timezone: r.timezone,
      windowDays: r.window_days,
      k: r.k,
      kComments: r.k_comments,
      startsOn: r.starts_on,
      active: r.active,
      nextOpenings: r.active ? upcomingOpenings(rec, now, NEXT_OPENINGS).map(toOpening) : [],
    };
  }

  private async audit(user: AuthUser, action: string, target: string, s: Resolved): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_log (actor_id, action, target, detail) VALUES ($1, $2, $3, $4)`,
      [user.id, action, target, JSON.stringify(s)],
    );
  }
}
