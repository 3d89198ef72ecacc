/**
 * The release gate: the one place that decides whether an aggregate cell may leave the server, and
 * the one function that builds it (DESIGN.md, anonymity points 4 and 5; docs/anonymity.md).
 *
 * A cell is a sum over a set of closed team-cycles: one cycle (a team's trend point, its item
 * breakdown), a team's fixed block of cycles (the pooled trend), or every team-cycle of a frozen
 * period under a group (the director views). Its decision, in order:
 *
 *  1. `period-open` — the cell's period can still change (a month that is not over, or whose
 *     cycles have not all closed): nothing is released until the set of cycles is final.
 *  2. `open-cycle` — a cycle in it is still open.
 *  3. `below-k` — n = 0, or n < k, k being the largest k of its cycles.
 *  4. released — every cycle in it is known on its own (released, or empty): the cell is a sum of
 *     public cells and adds nothing.
 *  5. otherwise the ledger decides: the cell is released only if everything released so far plus
 *     this cell still determines no set of responses with 0 < n < k (LedgerAuditor), else
 *     `would-reveal`. These decisions depend on what was released before, so the caller records
 *     them and answers the same request the same way ever after.
 *
 * Steps 1–4 need no ledger and always give the same answer for the same cycles; only step 5 is
 * recorded.
 */
import { AuditLimitError, LedgerAuditor, type AuditCycle } from './audit';
import { assertCount, assertK, isReleasable } from './threshold';

export type GateReason = 'period-open' | 'open-cycle' | 'below-k' | 'would-reveal';

export type GateDecision = { released: true } | { released: false; reason: GateReason };

export interface GateCycle extends AuditCycle {
  closed: boolean;
  /**
   * People invited when the cycle opened. A cycle of fewer invited than its k never joins a cell
   * of several cycles: nobody can stay hidden among fewer than k people, however many answers
   * they give over time (a pool of a two-person team would be one person's answers to the other).
   */
  invited: number;
}

export interface GateCell {
  /** Stable identity of the cell, under which a ledger decision is recorded. */
  key: string;
  cycles: readonly string[];
  /** True while the set of cycles can still change (the cell's period is not final). */
  periodOpen?: boolean;
}

export const RELEASED: GateDecision = { released: true };

const suppressed = (reason: GateReason): GateDecision => ({ released: false, reason });

/** The cell's n and k (the largest k of its cycles; 0 for an empty set). */
export function cellSize(
  cycles: readonly string[],
  facts: (id: string) => GateCycle | undefined,
): { n: number; k: number } {
  let n = 0;
  let k = 0;
  for (const id of new Set(cycles)) {
    const f = facts(id);
    if (!f) throw new RangeError(`no facts for cycle ${id}`);
    assertCount(f.n, `n of cycle ${id}`);
    assertK(f.k);
    n += f.n;
    k = Math.max(k, f.k);
  }
  return { n, k };
}

/** What steps 1–4 need to know of a cell, when its cycles are summed up elsewhere (in SQL). */
export interface CellCounts {
  periodOpen?: boolean;
  /** Cycles in the cell that are not closed. */
  open: number;
  n: number;
  /** The largest k of the cell's cycles. */
  k: number;
  /** Cycles in the cell with 0 < n < their k. */
  hidden: number;
}

/** Steps 1–4 from a cell's counts: the decision, or 'ledger' when the ledger must decide. */
export function decideFromCounts(c: CellCounts): GateDecision | 'ledger' {
  if (c.periodOpen) return suppressed('period-open');
  if (c.open > 0) return suppressed('open-cycle');
  if (c.n === 0 || !isReleasable(c.n, c.k)) return suppressed('below-k');
  return c.hidden > 0 ? 'ledger' : RELEASED;
}

/**
 * Steps 1–4: the decision when it does not depend on the ledger, or 'ledger' when it does (the
 * cell contains cycles with 0 < n < k and would itself be released).
 */
export function decideWithoutLedger(
  cell: GateCell,
  facts: (id: string) => GateCycle | undefined,
): GateDecision | 'ledger' {
  if (cell.periodOpen) return suppressed('period-open');
  const unique = [...new Set(cell.cycles)];
  const known = unique.map((id) => {
    const f = facts(id);
    if (!f) throw new RangeError(`no facts for cycle ${id} of ${cell.key}`);
    return f;
  });
  const { n, k } = cellSize(unique, facts);
  if (known.length > 1 && known.some((f) => f.invited < f.k)) return suppressed('below-k');
  return decideFromCounts({
    open: known.filter((f) => !f.closed).length,
    n,
    k,
    hidden: known.filter((f) => f.n > 0 && f.n < f.k).length,
  });
}

/** A decision, and whether it came from the ledger (and must be recorded with the cell). */
export type GateOutcome = GateDecision & { fromLedger: boolean };

/**
 * Decides cells against a ledger. Build it with the facts of every cycle involved and the cycle
 * sets of every cell released before (by the ledger, i.e. touching hidden cycles — cells of known
 * cycles only add nothing); then `decide` cells one at a time, in a fixed order: each release is
 * added to the ledger before the next cell is decided.
 */
export class ReleaseGate {
  private readonly auditor: LedgerAuditor;
  /** The stored ledger could not be loaded exactly: every decision that needs it is refused. */
  private readonly unusable: boolean = false;

  constructor(
    private readonly facts: (id: string) => GateCycle | undefined,
    released: Iterable<readonly string[]>,
    budget?: number,
  ) {
    this.auditor = new LedgerAuditor(facts, budget);
    try {
      for (const cycles of released) this.auditor.addReleased(cycles);
    } catch (e) {
      if (!(e instanceof AuditLimitError)) throw e;
      this.unusable = true;
    }
  }

  /** Rank of the released rows over hidden cycles (for diagnostics and tests). */
  get rank(): number {
    return this.auditor.rank;
  }

  decide(cell: GateCell): GateOutcome {
    const first = decideWithoutLedger(cell, this.facts);
    if (first !== 'ledger') return { ...first, fromLedger: false };
    if (this.unusable) return { ...suppressed('would-reveal'), fromLedger: true };
    try {
      const finding = this.auditor.tryRelease(cell.cycles);
      return finding
        ? { ...suppressed('would-reveal'), fromLedger: true }
        : { ...RELEASED, fromLedger: true };
    } catch (e) {
      // Not provably safe within the auditor's limits: refuse (fail closed).
      if (e instanceof AuditLimitError) return { ...suppressed('would-reveal'), fromLedger: true };
      throw e;
    }
  }
}

/** A released value, or the reason it is not shown, as every API response carries it. */
export type ReleasedCell<T, R extends string = GateReason> =
  ({ status: 'released' } & T) | { status: 'suppressed'; reason: R };

/**
 * Builds a cell from its gate decision: the value is computed only when the cell is released, so a
 * suppressed number is never even calculated. Every aggregate the API returns goes through here.
 */
export function releaseCell<T extends object, R extends string = GateReason>(
  decision: GateDecision | { released: false; reason: R },
  value: () => T,
): ReleasedCell<T, R | GateReason> {
  if (!decision.released) return { status: 'suppressed', reason: decision.reason };
  return { status: 'released', ...value() };
}

/**
 * A view built from a cell the gate already decided (a comparison's cell reshaped for the director's
 * overview): the decision is kept as it was — a suppressed cell stays suppressed with its reason, a
 * missing one is `below-k` — and the new value is computed from the released one only. No view
 * writes `status` by hand.
 */
export function reshapeCell<T extends object, U extends object, R extends string>(
  cell: ReleasedCell<T, R> | undefined,
  value: (released: T) => U,
): ReleasedCell<U, R | 'below-k'> {
  if (cell === undefined) return { status: 'suppressed', reason: 'below-k' };
  if (cell.status === 'suppressed') return cell;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the decision is set again below
  const { status, ...released } = cell;
  return { status: 'released', ...value(released as unknown as T) };
}

/**
 * The live response count of an open cycle: its leads see it (so they can nudge the team), nobody
 * else does. This is why the gate treats every cycle's n as known to an attacker: the ledger
 * protects the value sums, and the k rule still keeps every released count of a closed cell ≥ k.
 */
export function releaseLiveCount(responses: number, viewer: { leadsTeam: boolean }): number | null {
  assertCount(responses, 'live response count');
  return viewer.leadsTeam ? responses : null;
}

/**
 * A further condition for one kind of number on top of the gate's decision (α needs n ≥ 30, an
 * answer distribution n ≥ 10, …): the cell stays suppressed with the gate's reason if the gate
 * suppressed it, and is suppressed with `reason` if the condition fails.
 */
export function requireAlso<R extends string>(
  decision: GateDecision | { released: false; reason: R },
  ok: boolean,
  reason: R,
): GateDecision | { released: false; reason: R } {
  if (!decision.released) return decision;
  return ok ? decision : { released: false, reason };
}
