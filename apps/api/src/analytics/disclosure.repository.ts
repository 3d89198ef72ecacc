import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { InstrumentId } from '@candor/contracts';
import { type GateCycle, type GateDecision, type GateReason } from '@candor/disclosure';
import { versionsOf } from './analytics.repository';
import { groupsBelow } from '../kernel/org-tree.sql';

/** Key space of the gate's transaction-scoped advisory lock (the second key is the instrument). */
const LEDGER_LOCK_CLASS = 0x6c646772; // "ldgr"

export interface PeriodRow {
  instrument: InstrumentId;
  rootId: string;
  /** First day of the month, `YYYY-MM-DD`. */
  month: string;
  sealed: boolean;
}

export interface RosterRow {
  teamId: string;
  cycleId: string;
  n: number;
  k: number;
  invited: number;
  path: string[];
}

export interface LedgerRecord {
  key: string;
  kind: 'group-month' | 'pool';
  month: string | null;
  cycles: string[];
  hidden: string[];
  n: number;
  k: number;
  decision: GateDecision;
}

type Db = DataSource | EntityManager;

/**
 * Data access of the release gate: the sealed months, a month's roster, the ledger of decisions
 * made against earlier releases, and the facts (n, k, closed) of cycles. Each method takes the
 * connection or transaction to run on.
 */
@Injectable()
export class DisclosureRepository {
  constructor(private readonly dataSource: DataSource) {}

  get connection(): DataSource {
    return this.dataSource;
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Serialises every ledger decision of one instrument, across instances, until commit. */
  async lockLedger(tx: EntityManager, instrument: InstrumentId): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LEDGER_LOCK_CLASS, instrument]);
  }

  /** Unsealed months before `before` (first day of a month), oldest first. */
  async unsealedPeriods(db: Db, before: string): Promise<PeriodRow[]> {
    const rows: { instrument: InstrumentId; root_id: string; month: string }[] = await db.query(
      `SELECT instrument, root_id, to_char(month, 'YYYY-MM-DD') AS month FROM disclosure_period
        WHERE sealed_at IS NULL AND month < $1::date
        ORDER BY month, instrument, root_id`,
      [before],
    );
    return rows.map((r) => ({ instrument: r.instrument, rootId: r.root_id, month: r.month, sealed: false }));
  }

  /** The months of some org trees from a month on, sealed or not, in order. */
  async periodsOf(
    db: Db,
    filter: { instrument: InstrumentId; rootIds: string[]; from: string },
  ): Promise<PeriodRow[]> {
    const rows: { root_id: string; month: string; sealed: boolean }[] = await db.query(
      `SELECT root_id, to_char(month, 'YYYY-MM-DD') AS month, sealed_at IS NOT NULL AS sealed
         FROM disclosure_period
        WHERE instrument = $1 AND root_id = ANY($2::uuid[]) AND month >= $3::date
        ORDER BY month, root_id`,
      [filter.instrument, filter.rootIds, filter.from],
    );
    return rows.map((r) => ({
      instrument: filter.instrument,
      rootId: r.root_id,
      month: r.month,
      sealed: r.sealed,
    }));
  }

  /** Locks a period row; null when it does not exist. */
  async lockPeriod(
    tx: EntityManager,
    instrument: InstrumentId,
    rootId: string,
    month: string,
  ): Promise<{ sealed: boolean } | null> {
    const rows: { sealed: boolean }[] = await tx.query(
      `SELECT sealed_at IS NOT NULL AS sealed FROM disclosure_period
        WHERE instrument = $1 AND root_id = $2 AND month = $3::date FOR UPDATE`,
      [instrument, rootId, month],
    );
    return rows[0] ?? null;
  }

  async markSealed(
    tx: EntityManager,
    instrument: InstrumentId,
    rootId: string,
    month: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE disclosure_period SET sealed_at = now() WHERE instrument = $1 AND root_id = $2 AND month = $3::date`,
      [instrument, rootId, month],
    );
  }

  /**
   * Whether a cycle of the instrument that is not closed yet closes in the month and belongs to a
   * team that is in the org tree now (it would close into this tree's month).
   */
  async hasOpenCycleIn(
    tx: EntityManager,
    instrument: InstrumentId,
    rootId: string,
    month: string,
  ): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `WITH RECURSIVE ${groupsBelow('sub', '$2::uuid')}
       SELECT 1 FROM cycle c JOIN team t ON t.id = c.team_id JOIN sub ON sub.id = t.group_id
        WHERE c.status <> 'closed' AND c.instrument_version = ANY($1::text[])
          AND c.closes_at >= $3::date::timestamp AT TIME ZONE 'UTC'
          AND c.closes_at < ($3::date + interval '1 month')::timestamp AT TIME ZONE 'UTC'
        LIMIT 1`,
      [versionsOf(instrument), rootId, month],
    );
    return rows.length > 0;
  }

  /** A month's roster in one org tree: one cycle per team, with its frozen path, n and k. */
  async roster(db: Db, instrument: InstrumentId, rootId: string, month: string): Promise<RosterRow[]> {
    const rows: {
      team_id: string;
      cycle_id: string;
      n: number;
      k: number;
      invited: number;
      group_path: string[];
    }[] = await db.query(
      `SELECT team_id, cycle_id, n, k, invited, group_path FROM team_month_cycle
          WHERE instrument = $1 AND root_id = $2 AND month = $3::date`,
      [instrument, rootId, month],
    );
    return rows.map((r) => ({
      teamId: r.team_id,
      cycleId: r.cycle_id,
      n: r.n,
      k: r.k,
      invited: r.invited,
      path: r.group_path,
    }));
  }

  /** The hidden cycles of every cell the ledger released for the instrument. */
  async releasedHidden(tx: EntityManager, instrument: InstrumentId): Promise<string[][]> {
    const rows: { hidden: string[] }[] = await tx.query(
      `SELECT hidden FROM disclosure_cell WHERE instrument = $1 AND released ORDER BY decided_at, key`,
      [instrument],
    );
    return rows.map((r) => r.hidden);
  }

  /** Recorded decisions of some cells. */
  async decisions(db: Db, instrument: InstrumentId, keys: string[]): Promise<Map<string, GateDecision>> {
    if (keys.length === 0) return new Map();
    const rows: { key: string; released: boolean; reason: GateReason | null }[] = await db.query(
      `SELECT key, released, reason FROM disclosure_cell WHERE instrument = $1 AND key = ANY($2::text[])`,
      [instrument, keys],
    );
    return new Map(
      rows.map((r) => [
        r.key,
        r.released ? { released: true } : { released: false, reason: r.reason ?? 'would-reveal' },
      ]),
    );
  }

  async record(tx: EntityManager, instrument: InstrumentId, records: LedgerRecord[]): Promise<void> {
    if (records.length === 0) return;
    await tx.query(
      `INSERT INTO disclosure_cell (instrument, key, kind, month, cycles, hidden, n, k, released, reason)
       SELECT $1, r.key, r.kind, r.month::date, r.cycles, r.hidden, r.n, r.k, r.released, r.reason
         FROM jsonb_to_recordset($2::jsonb)
           AS r(key text, kind text, month text, cycles uuid[], hidden uuid[], n int, k smallint, released boolean, reason text)`,
      [
        instrument,
        JSON.stringify(
          records.map((r) => ({
            key: r.key,
            kind: r.kind,
            month: r.month,
            cycles: r.cycles,
            hidden: r.hidden,
            n: r.n,
            k: r.k,
            released: r.decision.released,
            reason: r.decision.released ? null : r.decision.reason,
          })),
        ),
      ],
    );
  }

  /** n (responses, from the `total` statistics row), k, invited count and status of cycles. */
  async facts(db: Db, cycleIds: string[]): Promise<Map<string, GateCycle>> {
    if (cycleIds.length === 0) return new Map();
    const rows: { id: string; k: number; invited: number; status: string; n: number | null }[] =
      await db.query(
        `SELECT c.id, c.k, c.invited, c.status, s.n FROM cycle c
         LEFT JOIN cycle_stats s ON s.cycle_id = c.id AND s.dimension = 'total'
        WHERE c.id = ANY($1::uuid[])`,
        [cycleIds],
      );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          n: r.status === 'closed' ? (r.n ?? 0) : 0,
          k: r.k,
          invited: r.invited,
          closed: r.status === 'closed',
        },
      ]),
    );
  }
}
