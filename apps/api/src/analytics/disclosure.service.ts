import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import type { InstrumentId } from '@candor/contracts';
import {
  decideWithoutLedger,
  groupMonthCells,
  ReleaseGate,
  type GateCell,
  type GateCycle,
  type GateDecision,
} from '@candor/disclosure';
import { DisclosureRepository, type LedgerRecord, type PeriodRow } from './disclosure.repository';

/** First day of a date's UTC month, `YYYY-MM-DD`. */
export function monthStart(d: Date): string {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString().slice(0, 10);
}

/** `pool:<team>:<digest of its cycles>`: the ledger key of one pooled block of a team. */
export function poolKey(teamId: string, cycles: readonly string[]): string {
  const digest = createHash('sha256')
    .update([...cycles].sort().join(','))
    .digest('hex')
    .slice(0, 32);
  return `pool:${teamId}:${digest}`;
}

/**
 * The release gate's I/O (the rules are @candor/disclosure's): sealing months, and deciding the
 * cells whose answer depends on what was released before — against the ledger, under one lock per
 * instrument, recorded so that the same cell always gets the same answer.
 *
 * - A month of an org tree is sealed once it is over and every cycle closing in it in that tree has
 *   closed: its roster (team_month_cycle) is frozen from then on, and every group cell of the month
 *   that involves a cycle with 0 < n < k is decided at once, top of the tree first, and recorded.
 *   The scheduler seals due months after each tick; a director view seals the due months it shows
 *   if the scheduler has not yet.
 * - A team's pooled blocks are decided when a lead first asks for them once they are complete.
 * Cells of known cycles only (released on their own or empty) need no ledger: they are released
 * whenever n ≥ k, and nothing is recorded for them.
 */
@Injectable()
export class DisclosureService {
  private readonly logger = new Logger('Disclosure');

  constructor(private readonly repo: DisclosureRepository) {}

  /** Seals every due month of every org tree; returns how many it sealed. */
  async sealDue(now: Date): Promise<number> {
    let sealed = 0;
    for (const period of await this.repo.unsealedPeriods(this.db, monthStart(now))) {
      if (await this.seal(period)) sealed++;
    }
    return sealed;
  }

  /**
   * Seals the due months of some org trees from `from` on, and returns the months that are sealed,
   * as `<root id>|YYYY-MM`. A view treats every other month as open — also a month that had no
   * closed cycle when this ran: a cycle may close into it before the view reads its rows.
   */
  async sealForView(
    instrument: InstrumentId,
    rootIds: string[],
    from: Date,
    now: Date,
  ): Promise<Set<string>> {
    if (rootIds.length === 0) return new Set();
    const current = monthStart(now);
    const sealed = new Set<string>();
    // One read in the usual case (every due month already sealed by the scheduler).
    for (const period of await this.repo.periodsOf(this.db, {
      instrument,
      rootIds,
      from: monthStart(from),
    })) {
      if (period.sealed || (period.month < current && (await this.seal(period))))
        sealed.add(`${period.rootId}|${period.month.slice(0, 7)}`);
    }
    return sealed;
  }

  /** The ledger's recorded decisions of some cells (group cells of sealed months). */
  recorded(instrument: InstrumentId, keys: string[]): Promise<Map<string, GateDecision>> {
    return this.repo.decisions(this.db, instrument, keys);
  }

  /**
   * The decisions of a team's complete pooled blocks, in order: steps 1–4 of the gate where they
   * suffice, else the recorded decision, else a new one made now against the ledger (in the
   * blocks' order) and recorded.
   */
  async poolDecisions(
    instrument: InstrumentId,
    teamId: string,
    blocks: readonly (readonly string[])[],
    facts: Map<string, GateCycle>,
  ): Promise<GateDecision[]> {
    const cells: GateCell[] = blocks.map((cycles) => ({ key: poolKey(teamId, cycles), cycles }));
    const get = (id: string) => facts.get(id);
    const first = cells.map((c) => decideWithoutLedger(c, get));
    const ledgerKeys = cells.filter((_, i) => first[i] === 'ledger').map((c) => c.key);
    if (ledgerKeys.length === 0) return first as GateDecision[];
    let known = await this.repo.decisions(this.db, instrument, ledgerKeys);
    if (known.size < ledgerKeys.length) {
      known = await this.repo.transaction(async (tx) => {
        await this.repo.lockLedger(tx, instrument);
        const recorded = await this.repo.decisions(tx, instrument, ledgerKeys);
        const missing = cells.filter((c, i) => first[i] === 'ledger' && !recorded.has(c.key));
        if (missing.length === 0) return recorded;
        const gate = await this.gateFor(tx, instrument, facts);
        const records = missing.map((cell) => {
          const decision = stripOutcome(gate.decide(cell));
          recorded.set(cell.key, decision);
          return this.recordOf(cell, 'pool', null, facts, decision);
        });
        await this.repo.record(tx, instrument, records);
        return recorded;
      });
    }
    return cells.map((c, i) => {
      const d = first[i]!;
      return d === 'ledger' ? (known.get(c.key) ?? failClosed(c.key, this.logger)) : d;
    });
  }

  // ------------------------------------------------------------------ internals

  private get db() {
    return this.repo.connection;
  }

  /**
   * Seals one month of one org tree, unless it is sealed already or a cycle that would close into
   * it is still open. Returns whether the month is sealed now.
   */
  private async seal(period: PeriodRow): Promise<boolean> {
    const { instrument, rootId, month } = period;
    return this.repo.transaction(async (tx) => {
      await this.repo.lockLedger(tx, instrument);
      const row = await this.repo.lockPeriod(tx, instrument, rootId, month);
      if (!row) return false;
      if (row.sealed) return true;
      if (await this.repo.hasOpenCycleIn(tx, instrument, rootId, month)) return false;
      // Cycles of teams smaller than their k never count in any aggregate (they are not in the
      // roster's cells): nobody could stay hidden among fewer than k people.
      const roster = (await this.repo.roster(tx, instrument, rootId, month)).filter((r) => r.invited >= r.k);
      const facts = new Map<string, GateCycle>(
        roster.map((r) => [r.cycleId, { n: r.n, k: r.k, invited: r.invited, closed: true }]),
      );
      const cells = groupMonthCells(
        rootId,
        month,
        roster.map((r) => ({ cycleId: r.cycleId, path: r.path, n: r.n })),
      ).filter((c) => decideWithoutLedger(c, (id) => facts.get(id)) === 'ledger');
      if (cells.length > 0) {
        const gate = await this.gateFor(tx, instrument, facts);
        const records = cells.map((cell) =>
          this.recordOf(cell, 'group-month', month, facts, stripOutcome(gate.decide(cell))),
        );
        await this.repo.record(tx, instrument, records);
        this.logger.log(
          `sealed ${instrument} ${month.slice(0, 7)} of ${rootId}: ${records.filter((r) => r.decision.released).length} of ${records.length} gated group cells released`,
        );
      }
      await this.repo.markSealed(tx, instrument, rootId, month);
      return true;
    });
  }

  /** A gate loaded with every cell the ledger has released for the instrument. */
  private async gateFor(
    tx: EntityManager,
    instrument: InstrumentId,
    facts: Map<string, GateCycle>,
  ): Promise<ReleaseGate> {
    const released = await this.repo.releasedHidden(tx, instrument);
    const ids = [...new Set(released.flat())].filter((id) => !facts.has(id));
    const more = await this.repo.facts(tx, ids);
    return new ReleaseGate((id) => facts.get(id) ?? more.get(id), released);
  }

  private recordOf(
    cell: GateCell,
    kind: LedgerRecord['kind'],
    month: string | null,
    facts: Map<string, GateCycle>,
    decision: GateDecision,
  ): LedgerRecord {
    const cycles = [...new Set(cell.cycles)].sort();
    const hidden = cycles.filter((id) => {
      const f = facts.get(id)!;
      return f.n > 0 && f.n < f.k;
    });
    return {
      key: cell.key,
      kind,
      month,
      cycles,
      hidden,
      n: cycles.reduce((s, id) => s + facts.get(id)!.n, 0),
      k: Math.max(...cycles.map((id) => facts.get(id)!.k)),
      decision,
    };
  }
}

function stripOutcome(o: GateDecision & { fromLedger: boolean }): GateDecision {
  return o.released ? { released: true } : { released: false, reason: o.reason };
}

/** A cell that needs a ledger decision and has none: never release it. */
function failClosed(key: string, logger: Logger): GateDecision {
  logger.error(`no ledger decision for ${key}: suppressed`);
  return { released: false, reason: 'would-reveal' };
}
