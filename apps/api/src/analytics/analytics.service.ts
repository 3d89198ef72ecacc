import { Injectable } from '@nestjs/common';
import type {
  Cell,
  DimensionInfo,
  Estimate,
  InstrumentId,
  ItemBreakdownResponse,
  Participation,
  PooledTrendPoint,
  PooledTrendResponse,
  ScoreEstimate,
  TeamTrendResponse,
  TrendAction,
  TrendPoint,
} from '@candor/contracts';
import { AGREEMENT_LABELS, getInstrument, itemText, SCALE_MAX, SCALE_MIN } from '@candor/instruments';
import { meanEstimate } from '@candor/stats';
import { isReleasable } from '@candor/disclosure';
import { ActionsService } from '../actions/actions.service';
import { conflict, notFound } from '../common/errors';
import { type AuthUser } from '../auth/auth.types';
import {
  addToBag,
  changeOf,
  estimateDimension,
  mergeBags,
  momentsOf,
  responsesIn,
  statsDimensions,
  trendDimensions,
  type StatBag,
} from './analytics.math';
import { AnalyticsRepository, type CycleStatsRow } from './analytics.repository';

interface CycleBlock {
  cycleId: string;
  opensAt: Date;
  closesAt: Date;
  k: number;
  invited: number;
  bag: StatBag;
}

/** An answer distribution is shown only from this many responses (and never below k). */
export const DISTRIBUTION_MIN_N = 10;
export const MAX_POOL_SIZE = 12;

const SUPPRESSED: Cell<never> = { status: 'suppressed', reason: 'below-k' };

/**
 * Turns stored sufficient statistics into released numbers. Every cell passes the threshold
 * rule here, on the server: a cell with n < k leaves as `suppressed`, with no number at all.
 */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly repo: AnalyticsRepository,
    private readonly actions: ActionsService,
  ) {}

  async teamTrend(user: AuthUser, teamId: string, instrumentId: InstrumentId): Promise<TeamTrendResponse> {
    const team = await this.repo.team(teamId);
    if (!team) throw notFound('Team');
    const dimensions = trendDimensions(instrumentId);
    const blocks = await this.blocks(teamId, instrumentId);
    const points = buildPoints(blocks, dimensions);

    const open = await this.repo.openCycle(teamId, instrumentId);
    const isLead = user.teams.get(teamId)?.role === 'lead';
    return {
      team,
      instrument: instrumentId,
      dimensions,
      points,
      openCycle: open
        ? {
            cycleId: open.id,
            opensAt: open.opensAt.toISOString(),
            closesAt: open.closesAt.toISOString(),
            k: open.k,
            invited: open.invited,
            responses: isLead ? open.responses : null,
          }
        : null,
      actions: await this.trendActions(teamId, dimensions, blocks, points),
    };
  }

  /** Item means and (from n ≥ 10) answer distributions of one closed cycle. */
  async itemBreakdown(teamId: string, cycleId: string): Promise<ItemBreakdownResponse> {
    const team = await this.repo.team(teamId);
    if (!team) throw notFound('Team');
    const cycle = UUID.test(cycleId) ? await this.repo.teamCycle(teamId, cycleId) : null;
    if (!cycle) throw notFound('Cycle');
    if (cycle.status !== 'closed') {
      throw conflict('cycle_open', 'Results of a cycle are released only after it closes');
    }
    const instrument = getInstrument(cycle.instrumentVersion);
    const bag: StatBag = new Map();
    for (const r of await this.repo.statsOf([cycle.id], null)) addToBag(bag, r.dimension, r);
    const n = responsesIn(bag);
    const released = isReleasable(n, cycle.k);
    const distributionMinimum = Math.max(DISTRIBUTION_MIN_N, cycle.k);
    const bounds = { min: SCALE_MIN, max: SCALE_MAX };
    return {
      team: { id: team.id, name: team.name },
      instrument: instrument.id,
      cycle: {
        cycleId: cycle.id,
        opensAt: cycle.opensAt.toISOString(),
        closesAt: cycle.closesAt.toISOString(),
        k: cycle.k,
        invited: cycle.invited,
      },
      participation: released ? participation(n, cycle.invited) : SUPPRESSED,
      distributionMinimum,
      scaleLabels: [...AGREEMENT_LABELS],
      items: instrument.items.map((item) => {
        const sums = bag.get(`item:${item.id}`);
        const e =
          released && sums ? meanEstimate(momentsOf(sums), { populationSize: cycle.invited, bounds }) : null;
        const score: Cell<Estimate> = e
          ? { status: 'released', n: e.n, mean: e.mean, lower: e.lower, upper: e.upper }
          : SUPPRESSED;
        let distribution: ItemBreakdownResponse['items'][number]['distribution'];
        if (!released) distribution = SUPPRESSED;
        else if (n < distributionMinimum) distribution = { status: 'suppressed', reason: 'below-minimum' };
        else {
          const counts: number[] = [];
          for (let v = SCALE_MIN; v <= SCALE_MAX; v++) counts.push(bag.get(`dist:${item.id}:${v}`)?.n ?? 0);
          distribution = { status: 'released', counts };
        }
        return {
          itemId: item.id,
          text: itemText(item, cycle.trustSubject),
          reverse: item.reverse,
          dimension: instrument.id === 'psych-safety' ? 'psych_safety' : (item.component ?? ''),
          score,
          distribution,
        };
      }),
    };
  }

  /**
   * The team trend pooled over consecutive blocks of `size` closed cycles, counted from the team's
   * first closed cycle (fixed blocks: a pool never changes once complete). A pool is released when
   * it has n ≥ k (the largest k of its cycles) and the cycles suppressed on the ordinary trend hide
   * 0 or ≥ k responses spread over at least two cycles — otherwise the pool minus its released
   * cycles would reveal a suppressed one.
   */
  async pooledTrend(teamId: string, instrumentId: InstrumentId, size: number): Promise<PooledTrendResponse> {
    const team = await this.repo.team(teamId);
    if (!team) throw notFound('Team');
    const dimensions = trendDimensions(instrumentId);
    const blocks = await this.blocks(teamId, instrumentId);
    const complete = Math.floor(blocks.length / size) * size;
    const points: PooledTrendPoint[] = [];
    const previous = new Map<string, StatBag>();
    for (let start = 0; start < complete; start += size) {
      const pool = blocks.slice(start, start + size);
      const bag = mergeBags(...pool.map((b) => b.bag));
      const n = responsesIn(bag);
      const k = Math.max(...pool.map((b) => b.k));
      const invited = pool.reduce((s, b) => s + b.invited, 0);
      const hiddenCycles = pool.filter((b) => {
        const m = responsesIn(b.bag);
        return m > 0 && m < b.k;
      });
      const hidden = hiddenCycles.reduce((s, b) => s + responsesIn(b.bag), 0);
      const safe = hidden === 0 || (hidden >= k && hiddenCycles.length >= 2);
      const reason = n < k ? 'below-k' : safe ? null : 'complementary';
      const suppressed: Cell<never> = { status: 'suppressed', reason: reason ?? 'below-k' };
      const scores: PooledTrendPoint['scores'] = {};
      for (const dim of dimensions) {
        // No finite-population correction: the same people answer in every pooled cycle.
        const e = reason === null ? estimateDimension(dim, bag) : null;
        if (!e) {
          scores[dim.id] = suppressed;
          continue;
        }
        const prev = previous.get(dim.id);
        scores[dim.id] = {
          status: 'released',
          n: e.n,
          mean: e.mean,
          lower: e.lower,
          upper: e.upper,
          change: prev ? changeOf(dim, prev, bag) : null,
        };
        previous.set(dim.id, bag);
      }
      points.push({
        pooled: true,
        cycleIds: pool.map((b) => b.cycleId),
        from: pool[0]!.opensAt.toISOString(),
        to: pool[pool.length - 1]!.closesAt.toISOString(),
        k,
        invited,
        participation: reason === null ? participation(n, invited) : suppressed,
        scores,
      });
    }
    return {
      team: { id: team.id, name: team.name },
      instrument: instrumentId,
      poolSize: size,
      dimensions,
      points,
      pendingCycles: blocks.length - complete,
    };
  }

  private async blocks(teamId: string, instrumentId: InstrumentId): Promise<CycleBlock[]> {
    const rows = await this.repo.teamCycleStats(teamId, instrumentId, statsDimensions(instrumentId));
    return groupByCycle(rows);
  }

  /**
   * The team's actions on these dimensions, each with the change from the last released cycle
   * that closed on or before its date to the first released cycle that opened on or after it.
   */
  private async trendActions(
    teamId: string,
    dimensions: DimensionInfo[],
    blocks: CycleBlock[],
    points: TrendPoint[],
  ): Promise<TrendAction[]> {
    const actions = await this.actions.list(
      teamId,
      dimensions.map((d) => d.id),
    );
    return actions.map((action) => {
      const dim = dimensions.find((d) => d.id === action.dimension)!;
      const day = new Date(`${action.date}T00:00:00.000Z`);
      const nextDay = new Date(day.getTime() + 86_400_000);
      const released = blocks.filter((_, i) => points[i]?.scores[dim.id]?.status === 'released');
      const before = released.filter((b) => b.closesAt < nextDay).at(-1) ?? null;
      const after = released.find((b) => b.opensAt >= day) ?? null;
      return {
        ...action,
        beforeCycleId: before?.cycleId ?? null,
        afterCycleId: after?.cycleId ?? null,
        change: before && after && before !== after ? changeOf(dim, before.bag, after.bag) : null,
      };
    });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function participation(n: number, invited: number): { status: 'released' } & Participation {
  return { status: 'released', n, invited, rate: invited > 0 ? n / invited : 0 };
}

/** Released points of a team trend, each with the change versus the previous released cycle. */
function buildPoints(blocks: CycleBlock[], dimensions: DimensionInfo[]): TrendPoint[] {
  const previous = new Map<string, StatBag>();
  return blocks.map((block) => {
    const n = responsesIn(block.bag);
    const released = isReleasable(n, block.k);
    const scores: Record<string, Cell<ScoreEstimate>> = {};
    for (const dim of dimensions) {
      const e = released ? estimateDimension(dim, block.bag, block.invited) : null;
      if (!e) {
        scores[dim.id] = SUPPRESSED;
        continue;
      }
      const prev = previous.get(dim.id);
      previous.set(dim.id, block.bag);
      scores[dim.id] = {
        status: 'released',
        n: e.n,
        mean: e.mean,
        lower: e.lower,
        upper: e.upper,
        change: prev ? changeOf(dim, prev, block.bag) : null,
      };
    }
    return {
      cycleId: block.cycleId,
      opensAt: block.opensAt.toISOString(),
      closesAt: block.closesAt.toISOString(),
      k: block.k,
      invited: block.invited,
      participation: released ? participation(n, block.invited) : SUPPRESSED,
      scores,
    };
  });
}

function groupByCycle(rows: CycleStatsRow[]): CycleBlock[] {
  const blocks: CycleBlock[] = [];
  const byId = new Map<string, CycleBlock>();
  for (const row of rows) {
    let block = byId.get(row.cycleId);
    if (!block) {
      block = {
        cycleId: row.cycleId,
        opensAt: new Date(row.opensAt),
        closesAt: new Date(row.closesAt),
        k: row.k,
        invited: row.invited,
        bag: new Map(),
      };
      byId.set(row.cycleId, block);
      blocks.push(block);
    }
    if (row.dimension) {
      addToBag(block.bag, row.dimension, {
        n: row.n,
        sum: row.sum,
        sumSq: row.sumSq,
        sumCross: row.sumCross ?? 0,
      });
    }
  }
  return blocks;
}
