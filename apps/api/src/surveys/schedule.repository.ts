import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ScheduleView, TrustSubject } from '@candor/contracts';
import { groupsBelow } from '../kernel/org-tree.sql';

export interface ScheduleRow {
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

/** A schedule's stored columns, in the order of `INSERT` and `UPDATE` below. */
export type ScheduleValues = [
  teamId: string | null,
  groupId: string | null,
  instrument: string,
  trustSubject: TrustSubject | null,
  cadence: string,
  weekday: number,
  hour: number,
  timezone: string,
  windowDays: number,
  k: number,
  startsOn: string,
  active: boolean,
  kComments: number | null,
];

export interface ScopeTeamRow {
  id: string;
  name: string;
  /** Active members. */
  members: number;
}

export interface CycleRow {
  id: string;
  team_id: string;
  schedule_id: string | null;
  instrument_version: string;
  opens_at: Date;
  closes_at: Date;
  status: 'open' | 'closed';
  k: number;
  invited: number;
}

const SELECT = `SELECT s.id, s.team_id, t.name AS team_name, s.group_id, g.name AS group_name, s.instrument,
       s.trust_subject, s.cadence, s.weekday, s.hour, s.timezone, s.window_days, s.k, s.k_comments,
       to_char(s.starts_on, 'YYYY-MM-DD') AS starts_on, s.active
  FROM schedule s LEFT JOIN team t ON t.id = s.team_id LEFT JOIN org_group g ON g.id = s.group_id`;

/** The schedules API's SQL: schedules with their scope's names, the teams a scope covers, a cycle. */
@Injectable()
export class ScheduleRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Schedules by scope (each filter optional; `ledTeams` limits to those teams' own schedules). */
  list(filter: { teamId?: string; groupId?: string; ledTeams?: string[] }): Promise<ScheduleRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.teamId !== undefined) {
      params.push(filter.teamId);
      where.push(`s.team_id = $${params.length}`);
    }
    if (filter.groupId !== undefined) {
      params.push(filter.groupId);
      where.push(`s.group_id = $${params.length}`);
    }
    if (filter.ledTeams !== undefined) {
      params.push(filter.ledTeams);
      where.push(`s.team_id = ANY($${params.length}::uuid[])`);
    }
    return this.dataSource.query(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.name NULLS LAST, g.name, s.id`,
      params,
    );
  }

  async get(id: string): Promise<ScheduleRow | null> {
    const rows: ScheduleRow[] = await this.dataSource.query(`${SELECT} WHERE s.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async insert(values: ScheduleValues): Promise<string> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO schedule (team_id, group_id, instrument, trust_subject, cadence, weekday, hour, timezone,
                             window_days, k, starts_on, active, k_comments)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      values,
    );
    return rows[0]!.id;
  }

  async update(id: string, values: ScheduleValues): Promise<void> {
    await this.dataSource.query(
      `UPDATE schedule SET team_id = $1, group_id = $2, instrument = $3, trust_subject = $4, cadence = $5,
              weekday = $6, hour = $7, timezone = $8, window_days = $9, k = $10, starts_on = $11, active = $12,
              k_comments = $13
        WHERE id = $14`,
      [...values, id],
    );
  }

  /** The active teams a schedule of this scope would survey (one team, or every team below a group). */
  teamsInScope(teamId: string | null, groupId: string | null): Promise<ScopeTeamRow[]> {
    return this.dataSource.query(
      `WITH RECURSIVE ${groupsBelow('tree', '$2::uuid')}
       SELECT t.id, t.name,
              (SELECT count(*)::int FROM membership m JOIN app_user u ON u.id = m.user_id
                WHERE m.team_id = t.id AND u.active) AS members
         FROM team t
        WHERE t.active AND (t.id = $1::uuid OR t.group_id IN (SELECT id FROM tree))
        ORDER BY lower(t.name), t.id`,
      [teamId, groupId],
    );
  }

  /** Whether the team is active; null when there is no such team. */
  async teamActive(teamId: string): Promise<boolean | null> {
    const rows: { active: boolean }[] = await this.dataSource.query('SELECT active FROM team WHERE id = $1', [
      teamId,
    ]);
    return rows[0]?.active ?? null;
  }

  async groupExists(groupId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM org_group WHERE id = $1', [groupId]);
    return rows.length > 0;
  }

  async cycle(id: string): Promise<CycleRow | null> {
    const rows: CycleRow[] = await this.dataSource.query(
      `SELECT id, team_id, schedule_id, instrument_version, opens_at, closes_at, status, k, invited FROM cycle WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }
}
