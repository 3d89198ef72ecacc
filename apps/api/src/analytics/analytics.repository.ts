import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { InstrumentId, InstrumentVersion, TrustSubject } from '@candor/contracts';
import { INSTRUMENTS } from '@candor/instruments';
import { groupsAbove, groupsBelow } from '../kernel/org-tree.sql';
import { type StatBag } from './analytics.math';

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

export interface TeamNodeRow {
  id: string;
  name: string;
  groupId: string;
}

/** A team's cycle of a month in one org tree, with its frozen path (team_month_cycle). */
export interface MonthRow {
  rootId: string;
  teamId: string;
  teamName: string;
  cycleId: string;
  k: number;
  invited: number;
  n: number;
  /** The team's groups when the cycle closed, top first. */
  path: string[];
  /** The cycle's statistics rows of the dimensions asked for. */
  bag: StatBag;
}

/** A group's cell of one month in one org tree, summed over its month rows (groupMonthCells). */
export interface GroupMonthCellRow {
  rootId: string;
  /** `YYYY-MM` */
  month: string;
  teams: number;
  invited: number;
  n: number;
  /** The largest k of its cycles. */
  k: number;
  /** Its cycles with 0 < n < k. */
  hidden: number;
  /** Its cycles of another instrument version than the one asked for. */
  otherVersions: number;
  /** Summed statistics rows (cycleId empty). */
  stats: StatsRow[];
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
export function versionsOf(instrument: InstrumentId): InstrumentVersion[] {
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
                  -- Answers so far: sealed on spent tokens (issue 12), plus any stored before sealing.
                  ((SELECT count(*) FROM spent_token s WHERE s.cycle_id = c.id AND s.sealed_answers IS NOT NULL)
                   + (SELECT count(*) FROM response r WHERE r.cycle_id = c.id))::int AS responses
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
      `WITH RECURSIVE ${groupsAbove('up', '$1::uuid')}
       SELECT (SELECT version::text FROM analytics_version WHERE id = 1) AS version, g.id, g.name,
              (SELECT r.id FROM up JOIN org_group r ON r.id = up.id WHERE r.parent_id IS NULL) AS root_id,
              EXISTS (SELECT 1 FROM director_scope d JOIN up ON up.id = d.group_id WHERE d.user_id = $2) AS directs
         FROM (VALUES (1)) AS one(x) LEFT JOIN org_group g ON g.id = $1`,
      [groupId, userId],
    );
    const r = rows[0];
    return r && r.id && r.name !== null && r.root_id
      ? { group: { id: r.id, name: r.name }, rootId: r.root_id, directs: r.directs, version: r.version }
      : null;
  }

  /** Names of groups (a group keeps its id when renamed; the name shown is today's). */
  async groupNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; name: string }[] = await this.dataSource.query(
      'SELECT id, name FROM org_group WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * What a group's comparison of one month reads, in one statement (one snapshot): the month's rows
   * (one cycle per team and org tree, see team-month.sql.ts) whose frozen path contains the group,
   * with the team's name and the cycle's non-item statistics of some dimensions; and the teams in
   * the group's current subtree without such a row (listed without numbers, by name then id).
   * `sealed` lists the org trees whose month was sealed in that snapshot: rows read under a seal
   * are the month's final rows. The month's rows are one range of team_month_group's primary key
   * index (which holds a copy of each row); the subtree's teams are read once and hashed against
   * them (names and idle teams); only a team that has left the subtree is looked up by id.
   */
  async monthUnder(
    instrument: InstrumentId,
    groupId: string,
    month: Date,
    dimensions: string[],
  ): Promise<{ rows: MonthRow[]; idle: TeamNodeRow[]; sealed: Set<string> }> {
    const rows = await this.dataSource.query<MonthRowRecord[]>(
      `WITH RECURSIVE ${groupsBelow('sub', '$2::uuid')},
       keys AS (
         SELECT g.root_id, g.team_id, g.cycle_id, g.k, g.invited, g.n, g.group_path, g.stats
           FROM team_month_group g
          WHERE g.instrument = $1 AND g.group_id = $2 AND g.month = $3::date
       ), now_under AS (
         SELECT t.id, t.name, t.group_id FROM sub JOIN team t ON t.group_id = sub.id
       ), sealed AS (
         SELECT p.root_id FROM disclosure_period p
          WHERE p.instrument = $1 AND p.month = $3::date AND p.sealed_at IS NOT NULL
       )
       SELECT m.root_id, m.team_id,
              coalesce(u.name, (SELECT t.name FROM team t WHERE t.id = m.team_id)) AS team_name,
              NULL::uuid AS group_id, m.cycle_id, m.k, m.invited,
              m.n, array_to_string(m.group_path, ',') AS group_path, m.stats,
              m.root_id IN (SELECT root_id FROM sealed) AS sealed
         FROM keys m
         LEFT JOIN now_under u ON u.id = m.team_id
       UNION ALL
       SELECT NULL, u.id, u.name, u.group_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL
         FROM now_under u
        WHERE NOT EXISTS (SELECT 1 FROM keys WHERE keys.team_id = u.id)
        ORDER BY 3, 2, 1`,
      [instrument, groupId, utcMonth(month)],
    );
    const idle: TeamNodeRow[] = [];
    const read: MonthRowRecord[] = [];
    const sealed = new Set<string>();
    for (const r of rows) {
      if (r.cycle_id === null) idle.push({ id: r.team_id, name: r.team_name, groupId: r.group_id! });
      else {
        read.push(r);
        if (r.sealed) sealed.add(r.root_id!);
      }
    }
    return { rows: monthRowsFrom(read, dimensions), idle, sealed };
  }

  /** The rows of a month for some (org tree, team) pairs. */
  async monthRowsOf(
    instrument: InstrumentId,
    month: Date,
    pairs: { rootId: string; teamId: string }[],
    dimensions: string[],
  ): Promise<MonthRow[]> {
    if (pairs.length === 0) return [];
    return this.monthRows(
      `SELECT p.root_id, p.team_id FROM unnest($2::uuid[], $4::uuid[]) AS p(root_id, team_id)`,
      [instrument, pairs.map((p) => p.rootId), utcMonth(month), pairs.map((p) => p.teamId)],
      dimensions,
    );
  }

  private async monthRows(keysSql: string, params: unknown[], dimensions: string[]): Promise<MonthRow[]> {
    const rows = await this.dataSource.query<MonthRowRecord[]>(
      `WITH keys AS (${keysSql})
       SELECT m.root_id, m.team_id, t.name AS team_name, m.cycle_id, m.k, m.invited, m.n,
              array_to_string(m.group_path, ',') AS group_path, m.stats
         FROM keys
         JOIN team_month_cycle m ON m.instrument = $1 AND m.root_id = keys.root_id AND m.month = $3::date
                                AND m.team_id = keys.team_id
         JOIN team t ON t.id = m.team_id
        ORDER BY t.name, t.id, m.root_id`,
      params,
    );
    return monthRowsFrom(rows, dimensions);
  }

  /** For each of some groups, the (org tree, team) pairs of its cells of a month. */
  async monthMembers(
    instrument: InstrumentId,
    month: Date,
    groupIds: string[],
  ): Promise<{ groupId: string; rootId: string; teamId: string }[]> {
    if (groupIds.length === 0) return [];
    const rows: { group_id: string; root_id: string; team_id: string }[] = await this.dataSource.query(
      `SELECT group_id, root_id, team_id FROM team_month_group
        WHERE instrument = $1 AND group_id = ANY($2::uuid[]) AND month = $3::date`,
      [instrument, groupIds, utcMonth(month)],
    );
    return rows.map((r) => ({ groupId: r.group_id, rootId: r.root_id, teamId: r.team_id }));
  }

  /**
   * A group's cells of the months in [from, to), one per org tree and month, summed in PostgreSQL
   * over the month rows whose frozen path contains the group and whose cycle invited at least its
   * k (a team smaller than its k never counts in an aggregate): what the gate needs (n, the largest
   * k, the cycles with 0 < n < k) and the sums of the cells' non-item statistics rows of some
   * dimensions, or of their `cycle_stats` rows (`fromCycleStats`, for item rows: reliability).
   * `versions` counts the cycles of each cell that are not of the given instrument version.
   */
  async groupMonthCells(
    instrument: InstrumentId,
    groupId: string,
    from: Date,
    to: Date,
    dimensions: string[],
    opts: { fromCycleStats?: boolean; version?: InstrumentVersion } = {},
  ): Promise<GroupMonthCellRow[]> {
    const range = [instrument, groupId, utcMonth(from), utcMonth(to)];
    const cells = `SELECT g.root_id, g.month, g.cycle_id, g.n, g.k, g.invited, g.stats
         FROM team_month_group g
        WHERE g.instrument = $1 AND g.group_id = $2 AND g.month >= $3::date AND g.month < $4::date
          AND g.invited >= g.k`;
    const [counts, sums]: [
      {
        root_id: string;
        month: string;
        teams: number;
        invited: number;
        n: number;
        k: number;
        hidden: number;
        other_versions: number;
      }[],
      {
        root_id: string;
        month: string;
        dimension: string;
        n: number;
        sum: number;
        sum_sq: number;
        sum_cross: number;
      }[],
    ] = await Promise.all([
      this.dataSource.query(
        `WITH cells AS (${cells})
         SELECT cells.root_id, to_char(cells.month, 'YYYY-MM') AS month, count(*)::int AS teams,
                sum(cells.invited)::int AS invited, sum(cells.n)::int AS n, max(cells.k)::int AS k,
                (count(*) FILTER (WHERE cells.n > 0 AND cells.n < cells.k))::int AS hidden,
                (count(*) FILTER (WHERE $5::text IS NOT NULL AND c.instrument_version <> $5))::int AS other_versions
           FROM cells JOIN cycle c ON c.id = cells.cycle_id
          GROUP BY cells.root_id, cells.month`,
        [...range, opts.version ?? null],
      ),
      this.dataSource.query(
        opts.fromCycleStats
          ? `WITH cells AS (${cells})
             SELECT cells.root_id, to_char(cells.month, 'YYYY-MM') AS month, s.dimension,
                    sum(s.n)::int AS n, sum(s.sum) AS sum, sum(s.sum_sq) AS sum_sq, sum(coalesce(s.sum_cross, 0)) AS sum_cross
               FROM cells JOIN cycle_stats s ON s.cycle_id = cells.cycle_id AND s.dimension = ANY($5::text[])
              GROUP BY cells.root_id, cells.month, s.dimension`
          : `WITH cells AS (${cells})
             SELECT cells.root_id, to_char(cells.month, 'YYYY-MM') AS month, d.key AS dimension,
                    sum((d.value->>0)::int)::int AS n, sum((d.value->>1)::float8) AS sum,
                    sum((d.value->>2)::float8) AS sum_sq, sum(coalesce((d.value->>3)::float8, 0)) AS sum_cross
               FROM cells CROSS JOIN LATERAL jsonb_each(cells.stats) d
              WHERE d.key = ANY($5::text[])
              GROUP BY cells.root_id, cells.month, d.key`,
        [...range, dimensions],
      ),
    ]);
    const out = new Map<string, GroupMonthCellRow>();
    for (const r of counts) {
      out.set(`${r.root_id}|${r.month}`, {
        rootId: r.root_id,
        month: r.month,
        teams: r.teams,
        invited: r.invited,
        n: r.n,
        k: r.k,
        hidden: r.hidden,
        otherVersions: r.other_versions,
        stats: [],
      });
    }
    for (const r of sums) {
      out.get(`${r.root_id}|${r.month}`)?.stats.push({
        cycleId: '',
        dimension: r.dimension,
        n: r.n,
        sum: r.sum,
        sumSq: r.sum_sq,
        sumCross: r.sum_cross,
        counts: null,
      });
    }
    return [...out.values()].sort(
      (a, b) => a.month.localeCompare(b.month) || a.rootId.localeCompare(b.rootId),
    );
  }
}

/** The first day of a date's UTC month, as `YYYY-MM-DD`. */
function utcMonth(d: Date): string {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString().slice(0, 10);
}

/** A month row as read (monthRows, monthUnder); in monthUnder, a row without a cycle is an idle team. */
interface MonthRowRecord {
  root_id: string | null;
  team_id: string;
  team_name: string;
  group_id?: string | null;
  cycle_id: string | null;
  k: number;
  invited: number;
  n: number;
  /** Comma-separated uuids: split here, far cheaper than the driver's array parser. */
  group_path: string;
  stats: Record<string, [number, number, number, number | null]>;
  sealed?: boolean;
}

function monthRowsFrom(rows: MonthRowRecord[], dimensions: string[]): MonthRow[] {
  return rows.map((r) => {
    const bag: StatBag = new Map();
    for (const dimension of dimensions) {
      const v = r.stats[dimension];
      if (v) bag.set(dimension, { n: v[0], sum: v[1], sumSq: v[2], sumCross: v[3] ?? 0 });
    }
    return {
      rootId: r.root_id!,
      teamId: r.team_id,
      teamName: r.team_name,
      cycleId: r.cycle_id!,
      k: r.k,
      invited: r.invited,
      n: r.n,
      path: r.group_path.split(','),
      bag,
    };
  });
}
