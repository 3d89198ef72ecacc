/**
 * The attacker's side of the disclosure tests: every number the API releases, to anyone, collected
 * as an equation over the cycles it sums, and the exhaustive oracle of libs/disclosure that says
 * which sets of cycles with 0 < n < k those equations determine.
 *
 * The test keeps the ground truth (`History`): every cycle it closed, with the groups its team was
 * in at that moment, when it closed, and the true sums of its answers. A released cell's cycles are
 * worked out from that truth, never read from the API, and every released mean is checked against
 * the true sums of those cycles — so a cell that summed other cycles than the rules say fails the
 * test instead of fooling the oracle.
 */
import type {
  Cell,
  GroupComparisonResponse,
  GroupTrendResponse,
  PooledTrendResponse,
  TeamTrendResponse,
} from '@candor/contracts';
import type { GateCycle } from '@candor/disclosure';
import { protectedSetsDetermined } from '../../../libs/disclosure/test/oracle';

export interface TrueCycle {
  id: string;
  teamId: string;
  /** The team's groups when the cycle closed, top first. */
  path: string[];
  closesAt: Date;
  k: number;
  /** People invited when it opened: a cycle of fewer than k never counts in a group or a pool. */
  invited: number;
  /** Answers' psychological-safety scores, one per response. */
  scores: number[];
}

const monthOf = (d: Date) => d.toISOString().slice(0, 7);

export class History {
  readonly cycles = new Map<string, TrueCycle>();
  /** Months sealed by the time a cycle closed into them: such a cycle counts on its own trend only. */
  private readonly lateCycles = new Set<string>();

  add(cycle: TrueCycle, closedIntoSealedMonth = false): void {
    this.cycles.set(cycle.id, cycle);
    if (closedIntoSealedMonth) this.lateCycles.add(cycle.id);
  }

  facts(): Map<string, GateCycle> {
    return new Map(
      [...this.cycles.values()].map((c) => [
        c.id,
        { n: c.scores.length, k: c.k, invited: c.invited, closed: true },
      ]),
    );
  }

  /**
   * The cycles of a group's cell of a month: per team and org tree, its latest cycle closing in the
   * month (cycles that closed into an already sealed month excepted), when the group is on its path
   * and the cycle invited at least its k.
   */
  groupMonth(groupId: string, month: string): string[] {
    const latest = new Map<string, TrueCycle>();
    for (const c of this.cycles.values()) {
      if (monthOf(c.closesAt) !== month || this.lateCycles.has(c.id)) continue;
      const key = `${c.teamId}|${c.path[0]}`;
      const best = latest.get(key);
      if (
        !best ||
        c.closesAt > best.closesAt ||
        (c.closesAt.getTime() === best.closesAt.getTime() && c.id > best.id)
      )
        latest.set(key, c);
    }
    return [...latest.values()].filter((c) => c.path.includes(groupId) && c.invited >= c.k).map((c) => c.id);
  }

  sum(ids: string[]): { n: number; sum: number } {
    let n = 0;
    let sum = 0;
    for (const id of ids) {
      const c = this.cycles.get(id)!;
      n += c.scores.length;
      sum += c.scores.reduce((a, b) => a + b, 0);
    }
    return { n, sum };
  }
}

export interface Release {
  where: string;
  cycles: string[];
}

type ScoreCell = Cell<{ n: number; mean: number }>;

/** Everything released so far, to anyone, as cycle sets; checked against the truth as it comes in. */
export class Attacker {
  readonly releases: Release[] = [];
  constructor(private readonly history: History) {}

  /** A released cell: its numbers must be the true ones of these cycles. */
  private see(where: string, cycles: string[], cell: ScoreCell | undefined): void {
    if (!cell || cell.status !== 'released') return;
    const truth = this.history.sum(cycles);
    if (cell.n !== truth.n || Math.abs(cell.mean - truth.sum / truth.n) > 1e-9) {
      throw new Error(
        `${where}: released n = ${cell.n}, mean = ${cell.mean}, but its cycles hold n = ${truth.n}, mean = ${truth.sum / truth.n}`,
      );
    }
    this.releases.push({ where, cycles: [...cycles].sort() });
  }

  teamTrend(body: TeamTrendResponse): void {
    for (const p of body.points) this.see(`trend ${p.cycleId}`, [p.cycleId], p.scores.psych_safety);
  }

  pooled(body: PooledTrendResponse): void {
    for (const p of body.points) this.see(`pool ${p.cycleIds.join('+')}`, p.cycleIds, p.scores.psych_safety);
  }

  comparison(body: GroupComparisonResponse): void {
    for (const row of body.rows) {
      if (row.kind === 'team') {
        if (row.cycleId)
          this.see(`comparison ${body.period} team ${row.name}`, [row.cycleId], row.scores.psych_safety);
      } else {
        this.see(
          `comparison ${body.period} group ${row.name}`,
          this.history.groupMonth(row.id, body.period),
          row.scores.psych_safety,
        );
      }
    }
  }

  groupTrend(groupId: string, body: GroupTrendResponse): void {
    for (const p of body.points) {
      this.see(
        `group trend ${groupId} ${p.period}`,
        this.history.groupMonth(groupId, p.period),
        p.scores.psych_safety,
      );
    }
  }

  /** The protected sets (0 < n < k) that everything seen so far determines; [] when the attack fails. */
  determined(): string[][] {
    return protectedSetsDetermined(
      this.history.facts(),
      this.releases.map((r) => r.cycles),
    );
  }
}
