import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { InstrumentId } from '@candor/contracts';

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

/** Aggregate reads. They touch `cycle` and `cycle_stats` only, never response rows. */
@Injectable()
export class AnalyticsRepository {
  constructor(private readonly dataSource: DataSource) {}

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
        WHERE c.team_id = $1 AND c.status = 'closed' AND split_part(c.instrument_version, '@', 1) = $2
        ORDER BY c.opens_at, c.id`,
      [teamId, instrument, dimensions],
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

  /** The team's current open cycle of an instrument, with its live response count. */
  async openCycle(
    teamId: string,
    instrument: InstrumentId,
  ): Promise<{
    id: string;
    opensAt: Date;
    closesAt: Date;
    k: number;
    invited: number;
    responses: number;
  } | null> {
    const rows: {
      id: string;
      opens_at: Date;
      closes_at: Date;
      k: number;
      invited: number;
      responses: number;
    }[] = await this.dataSource.query(
      `SELECT c.id, c.opens_at, c.closes_at, c.k, c.invited,
                (SELECT count(*)::int FROM response r WHERE r.cycle_id = c.id) AS responses
           FROM cycle c
          WHERE c.team_id = $1 AND c.status = 'open' AND split_part(c.instrument_version, '@', 1) = $2
          ORDER BY c.opens_at DESC LIMIT 1`,
      [teamId, instrument],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          opensAt: r.opens_at,
          closesAt: r.closes_at,
          k: r.k,
          invited: r.invited,
          responses: r.responses,
        }
      : null;
  }
}
