import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { InstrumentId, InstrumentVersion, TrustSubject } from '@candor/contracts';
import { INSTRUMENTS } from '@candor/instruments';

export interface TeamCycleRow {
  id: string;
  opensAt: Date;
  closesAt: Date;
  k: number;
  invited: number;
  status: string;
  instrumentVersion: InstrumentVersion;
  trustSubject: TrustSubject | null;
}

export interface StatsRow {
  cycleId: string;
  dimension: string;
  n: number;
  sum: number;
  sumSq: number;
  sumCross: number;
  /** An item row's answer counts (lowest answer first); null on other rows. */
  counts: number[] | null;
}

export interface GroupNodeRow {
  id: string;
  name: string;
  parentId: string | null;
}

export interface TeamNodeRow {
  id: string;
  name: string;
  groupId: string;
}

/** One group's own teams in one month (see orgMonthCounts). */
export interface GroupMonthCountRow {
  groupId: string;
  month: string;
  /** responses over the group's own teams' cycles of the month */
  n: number;
  /** the largest k of those cycles */
  k: number;
  /** the teams whose cycle has 0 < n < k */
  smallTeams: { teamId: string; n: number; k: number }[];
}

export interface MonthCycleRow {
  cycleId: string;
  teamId: string;
  month: string;
  k: number;
  invited: number;
  n: number;
}

export interface CycleStatsRow {
  cycleId: string;
  opensAt: Date;
  closesAt: Date;
  k: number;
  invited: number;
  dimension: string | null;
  n: number;
  sum: number;
  sumSq: number;
  sumCross: number | null;
}

export interface OpenCycleRow {
  id: string;
  opensAt: Date;
  closesAt: Date;
  k: number;
  invited: number;
  responses: number;
}

export interface PoolCycleRow {
  id: string;
  opensAt: Date;
  closesAt: Date;
  closed: boolean;
  k: number;
  invited: number;
  /** Responses of a closed cycle (its `total` row); 0 while open. */
  n: number;
}

/** Every stored version of an instrument, so that filters can use the cycle indexes. */
function versionsOf(instrument: InstrumentId): InstrumentVersion[] {
  return INSTRUMENTS.filter((i) => i.id === instrument).map((i) => i.key);
}

/**
 * Aggregate reads. They touch `cycle` and `cycle_stats` only, never response rows — except the
 * live response count of an open cycle, which only its lead sees.
 */
@Injectable()
export class AnalyticsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The analytics data version (see VersionedCache). */
  async dataVersion(): Promise<string> {
    const rows: { version: string }[] = await this.dataSource.query(
      'SELECT version::text AS version FROM analytics_version WHERE id = 1',
    );
    return rows[0]?.version ?? '0';
  }

  /**
   * In one round trip: the data version, a signature of the team's actions (actions do not move
   * the version: see migration AnalyticsVersionWithoutActions), and the team's open cycle of the
   * instrument with its live response count (never cached: it changes with every submission).
   */
  async trendState(
    teamId: string,
    instrument: InstrumentId,
  ): Promise<{ version: string; actions: string; open: OpenCycleRow | null }> {
    const rows: {
      version: string | null;
      actions: string;
      id: string | null;
      opens_at: Date;
      closes_at: Date;
      k: number;
      invited: number;
      responses: number;
    }[] = await this.dataSource.query(
      `SELECT (SELECT version::text FROM analytics_version WHERE id = 1) AS version,
              (SELECT md5(coalesce(string_agg(a.id::text || '|' || a.dimension || '|' || a.date::text || '|' || md5(a.text), ',' ORDER BY a.id), ''))
                 FROM action a WHERE a.team_id = $1) AS actions,
              o.id, o.opens_at, o.closes_at, o.k, o.invited, o.responses
         FROM (VALUES (1)) AS one(x)
         LEFT JOIN LATERAL (
           SELECT c.id, c.opens_at, c.closes_at, c.k, c.invited,
                  (SELECT count(*)::int FROM response r WHERE r.cycle_id = c.id) AS responses
             FROM cycle c
            WHERE c.team_id = $1 AND c.status = 'open' AND c.instrument_version = ANY($2::text[])
            ORDER BY c.opens_at DESC LIMIT 1
         ) o ON true`,
      [teamId, versionsOf(instrument)],
    );
    const r = rows[0];
    return {
      version: r?.version ?? '0',
      actions: r?.actions ?? '',
      open:
        r && r.id
          ? {
              id: r.id,
              opensAt: new Date(r.opens_at),
              closesAt: new Date(r.closes_at),
              k: r.k,
              invited: r.invited,
              responses: r.responses,
            }
          : null,
    };
  }

  /** Every cycle of the team and instrument, open or closed, by scheduled close then id (pooling). */
  async teamCycles(teamId: string, instrument: InstrumentId): Promise<PoolCycleRow[]> {
    const rows: {
      id: string;
      opens_at: Date;
      closes_at: Date;
      status: string;
      k: number;
      invited: number;
      n: number | null;
    }[] = await this.dataSource.query(
      `SELECT c.id, c.opens_at, c.closes_at, c.status, c.k, c.invited, s.n
         FROM cycle c
         LEFT JOIN cycle_stats s ON s.cycle_id = c.id AND s.dimension = 'total' AND c.status = 'closed'
        WHERE c.team_id = $1 AND c.instrument_version = ANY($2::text[])
        ORDER BY c.closes_at, c.id`,
      [teamId, versionsOf(instrument)],
    );
    return rows.map((r) => ({
      id: r.id,
      opensAt: new Date(r.opens_at),
      closesAt: new Date(r.closes_at),
      closed: r.status === 'closed',
      k: r.k,
      invited: r.invited,
      n: r.status === 'closed' ? (r.n ?? 0) : 0,
    }));
  }

  async teamCycleStats(
    teamId: string,
    instrument: InstrumentId,
    dimensions: string[],
  ): Promise<CycleStatsRow[]> {
    const rows: {
      cycle_id: string;
      opens_at: Date;
      closes_at: Date;
      k: number;
      invited: number;
      dimension: string | null;
      n: number | null;
      sum: number | null;
      sum_sq: number | null;
      sum_cross: number | null;
    }[] = await this.dataSource.query(
      `SELECT c.id AS cycle_id, c.opens_at, c.closes_at, c.k, c.invited,
              s.dimension, s.n, s.sum, s.sum_sq, s.sum_cross
         FROM cycle c
         LEFT JOIN cycle_stats s ON s.cycle_id = c.id AND s.dimension = ANY($3::text[])
        WHERE c.team_id = $1 AND c.status = 'closed' AND c.instrument_version = ANY($2::text[])
        ORDER BY c.opens_at, c.id`,
      [teamId, versionsOf(instrument), dimensions],
    );
    return rows.map((r) => ({
      cycleId: r.cycle_id,
      opensAt: r.opens_at,
      closesAt: r.closes_at,
      k: r.k,
      invited: r.invited,
      dimension: r.dimension,
      n: r.n ?? 0,
      sum: r.sum ?? 0,
      sumSq: r.sum_sq ?? 0,
      sumCross: r.sum_cross,
    }));
  }

  async team(teamId: string): Promise<{ id: string; name: string; groupName: string } | null> {
    const rows: { id: string; name: string; group_name: string }[] = await this.dataSource.query(
      'SELECT t.id, t.name, g.name AS group_name FROM team t JOIN org_group g ON g.id = t.group_id WHERE t.id = $1',
      [teamId],
    );
    return rows[0] ? { id: rows[0].id, name: rows[0].name, groupName: rows[0].group_name } : null;
  }

  /** One cycle of a team, or null when the cycle does not exist or belongs to another team. */
  async teamCycle(teamId: string, cycleId: string): Promise<TeamCycleRow | null> {
    const rows: {
      id: string;
      opens_at: Date;
      closes_at: Date;
      k: number;
      invited: number;
      status: string;
      instrument_version: InstrumentVersion;
      trust_subject: TrustSubject | null;
    }[] = await this.dataSource.query(
      `SELECT id, opens_at, closes_at, k, invited, status, instrument_version, trust_subject
         FROM cycle WHERE id = $1 AND team_id = $2`,
      [cycleId, teamId],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          opensAt: new Date(r.opens_at),
          closesAt: new Date(r.closes_at),
          k: r.k,
          invited: r.invited,
          status: r.status,
          instrumentVersion: r.instrument_version,
          trustSubject: r.trust_subject,
        }
      : null;
  }

  /** The cycle_stats rows of some cycles: every row, or only those of some dimensions. */
  async statsOf(cycleIds: string[], dimensions: string[] | null): Promise<StatsRow[]> {
    if (cycleIds.length === 0) return [];
    const rows: {
      cycle_id: string;
      dimension: string;
      n: number;
      sum: number;
      sum_sq: number;
      sum_cross: number | null;
      counts: number[] | null;
    }[] = await this.dataSource.query(
      `SELECT cycle_id, dimension, n, sum, sum_sq, sum_cross, counts FROM cycle_stats
        WHERE cycle_id = ANY($1::uuid[])
          AND ($2::text[] IS NULL OR dimension = ANY($2::text[]))`,
      [cycleIds, dimensions],
    );
    return rows.map((r) => ({
      cycleId: r.cycle_id,
      dimension: r.dimension,
      n: r.n,
      sum: r.sum,
      sumSq: r.sum_sq,
      sumCross: r.sum_cross ?? 0,
      counts: r.counts,
    }));
  }

  async group(groupId: string): Promise<{ id: string; name: string } | null> {
    const rows: { id: string; name: string }[] = await this.dataSource.query(
      'SELECT id, name FROM org_group WHERE id = $1',
      [groupId],
    );
    return rows[0] ?? null;
  }

  /**
   * In one round trip: the group, the top of its org tree, whether the person directs it or a group
   * above it, and the data version (read first: see VersionedCache). Null when the group does not
   * exist.
   */
  async groupAccess(
    groupId: string,
    userId: string,
  ): Promise<{
    group: { id: string; name: string };
    rootId: string;
    directs: boolean;
    version: string;
  } | null> {
    const rows: {
      version: string;
      id: string | null;
      name: string | null;
      root_id: string | null;
      directs: boolean;
    }[] = await this.dataSource.query(
      `WITH RECURSIVE up(id, parent_id, depth) AS (
         SELECT id, parent_id, 0 FROM org_group WHERE id = $1
         UNION ALL
         SELECT p.id, p.parent_id, up.depth + 1 FROM org_group p JOIN up ON p.id = up.parent_id
       )
       SELECT (SELECT version::text FROM analytics_version WHERE id = 1) AS version, g.id, g.name,
              (SELECT id FROM up ORDER BY depth DESC LIMIT 1) AS root_id,
              EXISTS (SELECT 1 FROM director_scope d JOIN up ON up.id = d.group_id WHERE d.user_id = $2) AS directs
         FROM (VALUES (1)) AS one(x) LEFT JOIN org_group g ON g.id = $1`,
      [groupId, userId],
    );
    const r = rows[0];
    return r && r.id && r.name !== null && r.root_id
      ? { group: { id: r.id, name: r.name }, rootId: r.root_id, directs: r.directs, version: r.version }
      : null;
  }

  /** Every group of the org tree below (and including) a group. */
  async groupsUnder(rootGroupId: string): Promise<GroupNodeRow[]> {
    const rows: { id: string; name: string; parent_id: string | null }[] = await this.dataSource.query(
      `WITH RECURSIVE sub(id, name, parent_id) AS (
         SELECT id, name, parent_id FROM org_group WHERE id = $1
         UNION ALL
         SELECT g.id, g.name, g.parent_id FROM org_group g JOIN sub ON g.parent_id = sub.id
       )
       SELECT id, name, parent_id FROM sub`,
      [rootGroupId],
    );
    return rows.map((g) => ({ id: g.id, name: g.name, parentId: g.parent_id }));
  }

  /**
   * In one round trip, for a group comparison: every team in a group or below it (by name, then
   * id), the cycle the director views use for it in one month and that cycle's statistics rows of
   * some dimensions — all from `team_month_cycle`, which carries a copy of them (`stats`). The
   * LATERAL subquery (kept apart by OFFSET 0, which PostgreSQL does not flatten) looks the
   * subtree's teams up one by one: with plain joins PostgreSQL, which cannot estimate the
   * recursive subtree, read the month's rows of every team of the org first.
   */
  async teamsWithMonthStats(
    groupId: string,
    instrument: InstrumentId,
    month: Date,
    dimensions: string[],
  ): Promise<{ teams: TeamNodeRow[]; cycles: MonthCycleRow[]; stats: StatsRow[] }> {
    const rows: {
      id: string;
      name: string;
      group_id: string;
      cycle_id: string | null;
      month: string | null;
      k: number | null;
      invited: number | null;
      n: number | null;
      stats: Record<string, [number, number, number, number | null]> | null;
    }[] = await this.dataSource.query(
      `WITH RECURSIVE sub(id) AS (
         SELECT $1::uuid
         UNION ALL
         SELECT g.id FROM org_group g JOIN sub ON g.parent_id = sub.id
       )
       SELECT t.id, t.name, t.group_id, m.cycle_id, to_char(m.month, 'YYYY-MM') AS month, m.k, m.invited, m.n, m.stats
         FROM sub
         JOIN team t ON t.group_id = sub.id
         LEFT JOIN LATERAL (
           SELECT * FROM team_month_cycle WHERE team_id = t.id AND instrument = $2 AND month = $3::date OFFSET 0
         ) m ON true
        ORDER BY t.name, t.id`,
      [groupId, instrument, utcMonth(month)],
    );
    const teams: TeamNodeRow[] = [];
    const cycles: MonthCycleRow[] = [];
    const stats: StatsRow[] = [];
    for (const r of rows) {
      teams.push({ id: r.id, name: r.name, groupId: r.group_id });
      if (!r.cycle_id || r.month === null || r.k === null || r.invited === null || r.n === null) continue;
      cycles.push({ cycleId: r.cycle_id, teamId: r.id, month: r.month, k: r.k, invited: r.invited, n: r.n });
      for (const dimension of dimensions) {
        const s = r.stats?.[dimension];
        if (s)
          stats.push({
            cycleId: r.cycle_id,
            dimension,
            n: s[0],
            sum: s[1],
            sumSq: s[2],
            sumCross: s[3] ?? 0,
            counts: null,
          });
      }
    }
    return { teams, cycles, stats };
  }

  /**
   * What the org-wide disclosure decisions need, per group and calendar month (UTC) in [from, to)
   * and summed in PostgreSQL over the group's own teams (not its subgroups), from the same
   * `team_month_cycle` rows as latestCyclePerTeamMonth: the responses, the largest k, and — one by
   * one — the teams whose cycle has 0 < n < k, the only teams a decision can hinge on (a team
   * with n ≥ its k is released on its own trend anyway, one with n = 0 hides nothing). So a
   * 5,000-team org sends one row per group and month, not one per team.
   */
  async orgMonthCounts(
    rootGroupId: string,
    instrument: InstrumentId,
    from: Date,
    to: Date,
  ): Promise<GroupMonthCountRow[]> {
    const rows: {
      group_id: string;
      month: string;
      n: number;
      k: number;
      small: [string, number, number][];
    }[] = await this.dataSource.query(
      `WITH RECURSIVE sub(id) AS (
         SELECT $1::uuid
         UNION ALL
         SELECT g.id FROM org_group g JOIN sub ON g.parent_id = sub.id
       )
       SELECT m.group_id, to_char(m.month, 'YYYY-MM') AS month, sum(m.n)::int AS n, max(m.k)::int AS k,
              coalesce(json_agg(json_build_array(m.team_id, m.n, m.k)) FILTER (WHERE m.n > 0 AND m.n < m.k), '[]') AS small
         FROM sub
         JOIN team_month_cycle m ON m.group_id = sub.id
        WHERE m.instrument = $2 AND m.month >= $3::date AND m.month < $4::date
        GROUP BY m.group_id, m.month`,
      [rootGroupId, instrument, utcMonth(from), utcMonth(to)],
    );
    return rows.map((r) => ({
      groupId: r.group_id,
      month: r.month,
      n: r.n,
      k: r.k,
      smallTeams: r.small.map(([teamId, n, k]) => ({ teamId, n, k })),
    }));
  }

  /**
   * For every team under a group: its latest closed cycle of the instrument (any version) per
   * calendar month (UTC) opening in [from, to), with the cycle's response count — read from
   * `team_month_cycle`, which closing keeps (team-month.sql.ts). `from` and `to` are UTC month
   * starts. With `version`, the latest closed cycle of that version only, searched in `cycle`.
   */
  async latestCyclePerTeamMonth(
    rootGroupId: string,
    instrument: InstrumentId,
    from: Date,
    to: Date,
    version?: InstrumentVersion,
  ): Promise<MonthCycleRow[]> {
    if (version) return this.latestVersionCyclePerTeamMonth(rootGroupId, version, from, to);
    const rows: {
      id: string;
      team_id: string;
      month: string;
      k: number;
      invited: number;
      n: number;
    }[] = await this.dataSource.query(
      `WITH RECURSIVE sub(id) AS (
         SELECT $1::uuid
         UNION ALL
         SELECT g.id FROM org_group g JOIN sub ON g.parent_id = sub.id
       )
       SELECT m.cycle_id AS id, m.team_id, to_char(m.month, 'YYYY-MM') AS month, m.k, m.invited, m.n
         FROM sub
         JOIN team_month_cycle m ON m.group_id = sub.id
        WHERE m.instrument = $2 AND m.month >= $3::date AND m.month < $4::date`,
      [rootGroupId, instrument, utcMonth(from), utcMonth(to)],
    );
    return rows.map((r) => ({
      cycleId: r.id,
      teamId: r.team_id,
      month: r.month,
      k: r.k,
      invited: r.invited,
      n: r.n,
    }));
  }

  /**
   * As latestCyclePerTeamMonth, among the cycles of one instrument version only.
   * `closes_at > from` is implied (a cycle closes after it opens) and lets PostgreSQL start from
   * ix_cycle_status_closes, so recent months read only recent cycles.
   */
  private async latestVersionCyclePerTeamMonth(
    rootGroupId: string,
    version: InstrumentVersion,
    from: Date,
    to: Date,
  ): Promise<MonthCycleRow[]> {
    const rows: {
      id: string;
      team_id: string;
      month: string;
      k: number;
      invited: number;
      n: number | null;
    }[] = await this.dataSource.query(
      `WITH RECURSIVE sub(id) AS (
         SELECT $1::uuid
         UNION ALL
         SELECT g.id FROM org_group g JOIN sub ON g.parent_id = sub.id
       ), latest AS (
         SELECT DISTINCT ON (c.team_id, to_char(c.opens_at AT TIME ZONE 'UTC', 'YYYY-MM'))
                c.id, c.team_id, to_char(c.opens_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, c.k, c.invited
           FROM sub
           JOIN team t ON t.group_id = sub.id
           JOIN cycle c ON c.team_id = t.id AND c.instrument_version = ANY($2::text[])
                       AND c.opens_at >= $3 AND c.opens_at < $4
          WHERE c.status = 'closed' AND c.closes_at > $3
          ORDER BY c.team_id, to_char(c.opens_at AT TIME ZONE 'UTC', 'YYYY-MM'), c.opens_at DESC, c.id DESC
       )
       SELECT latest.*, s.n
         FROM latest LEFT JOIN cycle_stats s ON s.cycle_id = latest.id AND s.dimension = 'total'`,
      [rootGroupId, [version], from, to],
    );
    return rows.map((r) => ({
      cycleId: r.id,
      teamId: r.team_id,
      month: r.month,
      k: r.k,
      invited: r.invited,
      n: r.n ?? 0,
    }));
  }
}

/** The first day of a date's UTC month, as `YYYY-MM-DD`. */
function utcMonth(d: Date): string {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString().slice(0, 10);
}
