import { Injectable } from '@nestjs/common';
import type {
  ActionItem,
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
import {
  AGREEMENT_LABELS,
  getInstrument,
  goodDirection,
  itemText,
  SCALE_MAX,
  SCALE_MIN,
} from '@candor/instruments';
import { actionOutcome, meanEstimate, toMoments } from '@candor/stats';
import {
  decideWithoutLedger,
  poolPartition,
  releaseCell,
  releaseLiveCount,
  requireAlso,
  type GateCycle,
  type GateDecision,
} from '@candor/disclosure';
import { ActionsService } from '../actions/actions.service';
import { conflict, notFound } from '../common/errors';
import { type AuthUser } from '../auth/auth.types';
import {
  addToBag,
  changeOf,
  estimateDimension,
  estimatePooled,
  favourableCell,
  mergeBags,
  responsesIn,
  statsDimensions,
  trendDimensions,
  type StatBag,
} from './analytics.math';
import { AnalyticsRepository, type CycleStatsRow } from './analytics.repository';
import { DisclosureService } from './disclosure.service';
import { VersionedCache } from './versioned-cache';
import { isUuid } from '../common/ids';

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

/**
 * Cached results per instance (see VersionedCache): team × instrument entries. A 104-cycle trend
 * is ~50 kB of JSON, so the trend cache stays in the tens of MB.
 */
export const TREND_CACHE_ENTRIES = 500;
export const POOLED_CACHE_ENTRIES = 200;

/** The part of a team trend that is the same for every viewer allowed to see it. */
type SharedTrend = Omit<TeamTrendResponse, 'openCycle'>;

/**
 * A team-cycle cell's decision: the release gate's rules for one closed cycle (n ≥ its k, else
 * `below-k`). A single cycle never needs the ledger: at its close no released cell contains it,
 * and n and k are frozen from then on.
 */
function cycleDecision(n: number, k: number, invited: number): GateDecision {
  const facts: GateCycle = { n, k, invited, closed: true };
  const d = decideWithoutLedger({ key: 'cycle', cycles: ['cycle'] }, () => facts);
  return d === 'ledger' ? { released: false, reason: 'would-reveal' } : d;
}

/**
 * Turns stored sufficient statistics into released numbers for one team: its trend, one cycle's
 * items and its pooled trend. Every cell comes from the release gate (@candor/disclosure) on the
 * server: a suppressed cell leaves with its reason and no number at all.
 */
@Injectable()
export class TeamAnalyticsService {
  private readonly trendCache = new VersionedCache<SharedTrend>(TREND_CACHE_ENTRIES);
  private readonly pooledCache = new VersionedCache<PooledTrendResponse>(POOLED_CACHE_ENTRIES);

  constructor(
    private readonly repo: AnalyticsRepository,
    private readonly actions: ActionsService,
    private readonly disclosure: DisclosureService,
  ) {}

  /**
   * The team trend. Access is checked before this is called (AccessGuard); the released points,
   * team and actions are the same for every viewer, so they are cached per data version and
   * signature of the team's actions; the open cycle (and the lead's live count) is read on every
   * request.
   */
  async teamTrend(user: AuthUser, teamId: string, instrumentId: InstrumentId): Promise<TeamTrendResponse> {
    const { version, actions, open } = await this.repo.trendState(teamId, instrumentId);
    const shared = await this.trendCache.through(`${teamId}|${instrumentId}|${actions}`, version, () =>
      this.sharedTrend(teamId, instrumentId),
    );
    const isLead = user.teams.get(teamId)?.role === 'lead';
    return {
      ...shared,
      openCycle: open
        ? {
            cycleId: open.id,
            opensAt: open.opensAt.toISOString(),
            closesAt: open.closesAt.toISOString(),
            k: open.k,
            invited: open.invited,
            responses: releaseLiveCount(open.responses, { leadsTeam: isLead }),
          }
        : null,
    };
  }

  private async sharedTrend(teamId: string, instrumentId: InstrumentId): Promise<SharedTrend> {
    const dimensions = trendDimensions(instrumentId);
    // Three independent reads on three pool connections at once: one round trip of waiting, not three.
    const [team, blocks, actions] = await Promise.all([
      this.repo.team(teamId),
      this.blocks(teamId, instrumentId),
      this.actions.list(
        teamId,
        dimensions.map((d) => d.id),
      ),
    ]);
    if (!team) throw notFound('Team');
    const points = buildPoints(blocks, dimensions);
    return {
      team,
      instrument: instrumentId,
      dimensions,
      points,
      actions: trendActions(actions, dimensions, blocks, points),
    };
  }

  /** Item means and (from n ≥ 10) answer distributions of one closed cycle. */
  async itemBreakdown(teamId: string, cycleId: string): Promise<ItemBreakdownResponse> {
    const team = await this.repo.team(teamId);
    if (!team) throw notFound('Team');
    const cycle = isUuid(cycleId) ? await this.repo.teamCycle(teamId, cycleId) : null;
    if (!cycle) throw notFound('Cycle');
    if (cycle.status !== 'closed') {
      throw conflict('cycle_open', 'Results of a cycle are released only after it closes');
    }
    const instrument = getInstrument(cycle.instrumentVersion);
    const bag: StatBag = new Map();
    const counts = new Map<string, number[]>();
    for (const r of await this.repo.statsOf([cycle.id], null)) {
      addToBag(bag, r.dimension, r);
      if (r.counts) counts.set(r.dimension, r.counts);
    }
    const n = responsesIn(bag);
    const decision = cycleDecision(n, cycle.k, cycle.invited);
    const released = decision.released;
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
      participation: releaseCell(decision, () => participation(n, cycle.invited)),
      distributionMinimum,
      scaleLabels: [...AGREEMENT_LABELS],
      items: instrument.items.map((item) => {
        const sums = bag.get(`item:${item.id}`);
        const e =
          released && sums ? meanEstimate(toMoments(sums), { populationSize: cycle.invited, bounds }) : null;
        const score: Cell<Estimate> = releaseCell(requireAlso(decision, e !== null, 'below-k'), () => ({
          n: e!.n,
          mean: e!.mean,
          lower: e!.lower,
          upper: e!.upper,
        }));
        const distribution = releaseCell(
          requireAlso(decision, n >= distributionMinimum, 'below-minimum'),
          () => {
            const stored = counts.get(`item:${item.id}`) ?? [];
            return { counts: Array.from({ length: SCALE_MAX - SCALE_MIN + 1 }, (_, i) => stored[i] ?? 0) };
          },
        );
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
   * The team trend pooled over the team's ONE fixed partition of its cycles (poolPartition in
   * @candor/disclosure: blocks of a size fixed by its first cycle, in order of scheduled close), so
   * that no two released pools overlap partially and nothing a lead can request differs from it.
   * A complete block is released when it has n ≥ k (the largest k of its cycles) and the cycles
   * suppressed on the ordinary trend hide 0 or ≥ k responses spread over at least two cycles.
   * The same for every lead of the team: cached per data version.
   */
  async pooledTrend(teamId: string, instrumentId: InstrumentId): Promise<PooledTrendResponse> {
    const version = await this.repo.dataVersion();
    return this.pooledCache.through(`${teamId}|${instrumentId}`, version, () =>
      this.computePooledTrend(teamId, instrumentId),
    );
  }

  private async computePooledTrend(teamId: string, instrumentId: InstrumentId): Promise<PooledTrendResponse> {
    const team = await this.repo.team(teamId);
    if (!team) throw notFound('Team');
    const dimensions = trendDimensions(instrumentId);
    const cycles = await this.repo.teamCycles(teamId, instrumentId);
    const partition = poolPartition(cycles);
    const facts = new Map<string, GateCycle>(
      cycles.map((c) => [c.id, { n: c.n, k: c.k, invited: c.invited, closed: c.closed }]),
    );
    // A cycle of fewer invited than its k never counts in a pool (see GateCycle.invited).
    const counted = partition.blocks.map((b) => b.cycles.filter((c) => c.invited >= c.k));
    const decisions = await this.disclosure.poolDecisions(
      instrumentId,
      teamId,
      counted.map((cycles) => cycles.map((c) => c.id)),
      facts,
    );
    const bags = new Map<string, StatBag>();
    for (const r of await this.repo.statsOf(
      counted.flatMap((cycles, i) => (decisions[i]!.released ? cycles.map((c) => c.id) : [])),
      statsDimensions(instrumentId),
    )) {
      const bag = bags.get(r.cycleId) ?? new Map();
      addToBag(bag, r.dimension, r);
      bags.set(r.cycleId, bag);
    }
    const points: PooledTrendPoint[] = [];
    const previous = new Map<string, StatBag>();
    partition.blocks.forEach((block, i) => {
      const decision = decisions[i]!;
      const cycles = counted[i]!;
      const cycleBags = cycles.map((c): StatBag => bags.get(c.id) ?? new Map());
      const bag = decision.released ? mergeBags(...cycleBags) : null;
      const invited = cycles.reduce((s, c) => s + c.invited, 0);
      const scores: PooledTrendPoint['scores'] = {};
      for (const dim of dimensions) {
        // The interval allows for the same people answering in every pooled cycle (design effect).
        const e = bag ? estimatePooled(dim, cycleBags) : null;
        if (!bag || !e) {
          scores[dim.id] = releaseCell(requireAlso(decision, false, 'below-k'), () => ({}) as never);
          continue;
        }
        const prev = previous.get(dim.id);
        const favourable = favourableCell(decision, dim.id, bag);
        scores[dim.id] = releaseCell(decision, () => ({
          n: e.n,
          mean: e.mean,
          lower: e.lower,
          upper: e.upper,
          change: prev ? changeOf(dim, prev, bag) : null,
          designEffect: e.designEffect,
          ...(favourable && { favourable }),
        })) as PooledTrendPoint['scores'][string];
        previous.set(dim.id, bag);
      }
      points.push({
        pooled: true,
        cycleIds: cycles.map((c) => c.id),
        from: block.cycles[0]!.opensAt.toISOString(),
        to: block.cycles[block.cycles.length - 1]!.closesAt.toISOString(),
        k: block.k,
        invited,
        participation: releaseCell(requireAlso(decision, bag !== null, 'below-k'), () =>
          participation(responsesIn(bag!), invited),
        ),
        scores,
      });
    });
    return {
      team: { id: team.id, name: team.name },
      instrument: instrumentId,
      poolSize: partition.size,
      dimensions,
      points,
      pendingCycles: partition.pendingCycles,
    };
  }

  private async blocks(teamId: string, instrumentId: InstrumentId): Promise<CycleBlock[]> {
    const rows = await this.repo.teamCycleStats(teamId, instrumentId, statsDimensions(instrumentId));
    return groupByCycle(rows);
  }
}

/**
 * The team's actions on these dimensions, each with the change from the last released cycle
 * that closed on or before its date to the first released cycle that opened on or after it.
 */
function trendActions(
  actions: ActionItem[],
  dimensions: DimensionInfo[],
  blocks: CycleBlock[],
  points: TrendPoint[],
): TrendAction[] {
  return actions.map((action) => {
    const dim = dimensions.find((d) => d.id === action.dimension)!;
    const day = new Date(`${action.date}T00:00:00.000Z`);
    const nextDay = new Date(day.getTime() + 86_400_000);
    const released = blocks.filter((_, i) => points[i]?.scores[dim.id]?.status === 'released');
    const before = released.filter((b) => b.closesAt < nextDay).at(-1) ?? null;
    const after = released.find((b) => b.opensAt >= day) ?? null;
    // Whether it worked: the last released cycle before the date against the latest released one
    // among the first follow-up cycles (actionOutcome in @candor/stats; docs/statistics.md).
    const outcome = actionOutcome({
      date: action.date,
      goodDirection: goodDirection(dim.id),
      cycles: blocks.map((b, i) => ({
        opensAt: b.opensAt.toISOString(),
        closesAt: b.closesAt.toISOString(),
        stats: points[i]?.scores[dim.id]?.status === 'released' ? b.bag : null,
      })),
      compare: (a, b) => changeOf(dim, a, b),
    });
    return {
      ...action,
      beforeCycleId: before?.cycleId ?? null,
      afterCycleId: after?.cycleId ?? null,
      change: before && after && before !== after ? changeOf(dim, before.bag, after.bag) : null,
      outcome: {
        verdict: outcome.verdict,
        beforeCycleId: outcome.beforeIndex === null ? null : blocks[outcome.beforeIndex]!.cycleId,
        afterCycleId: outcome.afterIndex === null ? null : blocks[outcome.afterIndex]!.cycleId,
        change: outcome.change,
        followUpsLeft: outcome.followUpsLeft,
      },
    };
  });
}

function participation(n: number, invited: number): Participation {
  return { n, invited, rate: invited > 0 ? n / invited : 0 };
}

/** Released points of a team trend, each with the change versus the previous released cycle. */
function buildPoints(blocks: CycleBlock[], dimensions: DimensionInfo[]): TrendPoint[] {
  const previous = new Map<string, StatBag>();
  return blocks.map((block) => {
    const n = responsesIn(block.bag);
    const decision = cycleDecision(n, block.k, block.invited);
    const scores: Record<string, Cell<ScoreEstimate>> = {};
    for (const dim of dimensions) {
      const e = decision.released ? estimateDimension(dim, block.bag, block.invited) : null;
      if (!e) {
        scores[dim.id] = releaseCell(requireAlso(decision, false, 'below-k'), () => ({}) as never);
        continue;
      }
      const prev = previous.get(dim.id);
      previous.set(dim.id, block.bag);
      const favourable = favourableCell(decision, dim.id, block.bag);
      scores[dim.id] = releaseCell(decision, () => ({
        n: e.n,
        mean: e.mean,
        lower: e.lower,
        upper: e.upper,
        change: prev ? changeOf(dim, prev, block.bag) : null,
        ...(favourable && { favourable }),
      }));
    }
    return {
      cycleId: block.cycleId,
      opensAt: block.opensAt.toISOString(),
      closesAt: block.closesAt.toISOString(),
      k: block.k,
      invited: block.invited,
      participation: releaseCell(decision, () => participation(n, block.invited)),
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
