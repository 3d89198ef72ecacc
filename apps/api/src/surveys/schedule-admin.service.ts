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
import { audit } from '../common/audit-log';
import { ScheduleRepository, type ScheduleRow, type ScheduleValues } from './schedule.repository';

const NEXT_OPENINGS = 3;

/** A schedule with every field decided (after defaults), ready to validate and store. */
type Resolved = Required<Omit<ScheduleFields, 'teamId' | 'groupId' | 'trustSubject'>> & {
  teamId: string | null;
  groupId: string | null;
  trustSubject: TrustSubject | null;
};

/**
 * Who may manage schedules: admins, any team or group; a team's leads, that team's schedules.
 * Every rule between fields is checked here and reported per field (400).
 */
@Injectable()
export class ScheduleAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: ScheduleRepository,
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
    if (filter.teamId !== undefined && !isUuid(filter.teamId))
      throw badRequest('invalid_filter', 'Bad filter', { teamId: ['must be a UUID'] });
    if (filter.groupId !== undefined && !isUuid(filter.groupId))
      throw badRequest('invalid_filter', 'Bad filter', { groupId: ['must be a UUID'] });
    const ledTeams = user.isAdmin
      ? undefined
      : [...user.teams.entries()].filter(([, m]) => m.role === 'lead').map(([id]) => id);
    const rows = await this.repo.list({ teamId: filter.teamId, groupId: filter.groupId, ledTeams });
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
    const id = await this.repo.insert(this.values(s));
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
    await this.repo.update(id, this.values(s));
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
    const rows = await this.repo.teamsInScope(s.teamId, s.groupId);
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
    const c = await this.repo.cycle(cycleId);
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
    const row = await this.repo.get(id);
    if (!row) throw notFound('Schedule');
    return row;
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
        const active = await this.repo.teamActive(s.teamId);
        if (active === null) add('teamId', 'no such team');
        else if (!active) add('teamId', 'this team is not active');
      } else {
        if (!(await this.repo.groupExists(s.groupId!))) add('groupId', 'no such group');
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

  private values(s: Resolved): ScheduleValues {
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
    await audit(this.dataSource.manager, user.id, action, target, s);
  }
}
