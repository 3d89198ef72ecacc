import { Injectable } from '@nestjs/common';
import type {
  Cell,
  Change,
  DimensionInfo,
  InstrumentId,
  ScoreEstimate,
  TeamTrendResponse,
  TrendPoint,
} from '@candor/contracts';
import { currentInstrument, TRUST_INDEX } from '@candor/instruments';
import {
  changeBetween,
  meanEstimate,
  ratioEstimate,
  tCdf,
  tQuantile,
  type Moments,
  type RatioMoments,
} from '@candor/stats';
import { isReleasable } from '@candor/disclosure';
import { notFound } from '../common/errors';
import { type AuthUser } from '../auth/auth.types';
import { AnalyticsRepository, type CycleStatsRow } from './analytics.repository';

interface CycleBlock {
  cycleId: string;
  opensAt: Date;
  closesAt: Date;
  k: number;
  invited: number;
  stats: Map<string, CycleStatsRow>;
}

const SUPPRESSED: Cell<never> = { status: 'suppressed', reason: 'below-k' };

/**
 * Turns stored sufficient statistics into released numbers. Every cell passes the threshold
 * rule here, on the server: a cell with n < k leaves as `suppressed`, with no number at all.
 */
@Injectable()
export class AnalyticsService {
  constructor(private readonly repo: AnalyticsRepository) {}

  async teamTrend(user: AuthUser, teamId: string, instrumentId: InstrumentId): Promise<TeamTrendResponse> {
    const team = await this.repo.team(teamId);
    if (!team) throw notFound('Team');
    const instrument = currentInstrument(instrumentId);
    const dimensions: DimensionInfo[] =
      instrumentId === 'trust-equation'
        ? [TRUST_INDEX, ...instrument.responseDimensions].map(({ id, label, min, max }) => ({
            id,
            label,
            min,
            max,
          }))
        : instrument.responseDimensions.map(({ id, label, min, max }) => ({ id, label, min, max }));
    const rows = await this.repo.teamCycleStats(
      teamId,
      instrumentId,
      instrument.responseDimensions
        .map((d) => d.id)
        .concat(instrumentId === 'trust-equation' ? ['trust_index'] : []),
    );
    const blocks = groupByCycle(rows);
    const points = this.buildPoints(blocks, dimensions);

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
    };
  }

  private buildPoints(blocks: CycleBlock[], dimensions: DimensionInfo[]): TrendPoint[] {
    const previous = new Map<
      string,
      { moments: Moments; ratio?: { value: number; se: number; n: number } }
    >();
    return blocks.map((block) => {
      const headline = block.stats.get(dimensions[0]?.id ?? '') ?? block.stats.values().next().value;
      const n = headline?.n ?? 0;
      const participation: TrendPoint['participation'] = isReleasable(n, block.k)
        ? { status: 'released', n, invited: block.invited, rate: block.invited > 0 ? n / block.invited : 0 }
        : SUPPRESSED;
      const scores: Record<string, Cell<ScoreEstimate>> = {};
      for (const dim of dimensions) {
        if (dim.id === 'trust_index') {
          scores[dim.id] = this.trustCell(block, dim, previous);
          continue;
        }
        const row = block.stats.get(dim.id);
        if (!row || !isReleasable(row.n, block.k)) {
          scores[dim.id] = SUPPRESSED;
          continue;
        }
        const moments: Moments = { n: row.n, sum: row.sum, sumSq: row.sumSq };
        const estimate = meanEstimate(moments, {
          populationSize: block.invited,
          bounds: { min: dim.min, max: dim.max },
        });
        if (!estimate) {
          scores[dim.id] = SUPPRESSED;
          continue;
        }
        const prev = previous.get(dim.id);
        const change = prev ? changeBetween(prev.moments, moments) : null;
        previous.set(dim.id, { moments });
        scores[dim.id] = {
          status: 'released',
          n: estimate.n,
          mean: estimate.mean,
          lower: estimate.lower,
          upper: estimate.upper,
          change: change
            ? {
                delta: change.delta,
                p: change.p,
                mdc: change.mdc,
                significant: change.significant,
                direction: change.direction,
              }
            : null,
        };
      }
      return {
        cycleId: block.cycleId,
        opensAt: block.opensAt.toISOString(),
        closesAt: block.closesAt.toISOString(),
        k: block.k,
        invited: block.invited,
        participation,
        scores,
      };
    });
  }

  /** Trust index (C̄+R̄+Ī)/S̄ with its delta-method interval; see docs/statistics.md. */
  private trustCell(
    block: CycleBlock,
    dim: DimensionInfo,
    previous: Map<string, { moments: Moments; ratio?: { value: number; se: number; n: number } }>,
  ): Cell<ScoreEstimate> {
    const x = block.stats.get('trust_index');
    const y = block.stats.get('self_orientation');
    if (!x || !y || !isReleasable(x.n, block.k) || x.n !== y.n) return SUPPRESSED;
    const ratio: RatioMoments = {
      n: x.n,
      sumX: x.sum,
      sumXSq: x.sumSq,
      sumY: y.sum,
      sumYSq: y.sumSq,
      sumXY: x.sumCross ?? 0,
    };
    const estimate = ratioEstimate(ratio, {
      populationSize: block.invited,
      bounds: { min: dim.min, max: dim.max },
    });
    if (!estimate) return SUPPRESSED;
    const prev = previous.get(dim.id)?.ratio;
    previous.set(dim.id, {
      moments: { n: x.n, sum: 0, sumSq: 0 },
      ratio: { value: estimate.value, se: estimate.se, n: x.n },
    });
    return {
      status: 'released',
      n: estimate.n,
      mean: estimate.value,
      lower: estimate.lower,
      upper: estimate.upper,
      change: prev ? ratioChange(prev, { value: estimate.value, se: estimate.se, n: x.n }) : null,
    };
  }
}

/**
 * Change of the trust index between cycles: the delta-method standard errors of the two ratios
 * combined, with a t reference on the smaller sample's degrees of freedom (conservative).
 */
function ratioChange(
  prev: { value: number; se: number; n: number },
  curr: { value: number; se: number; n: number },
): Change | null {
  const se = Math.sqrt(prev.se ** 2 + curr.se ** 2);
  const df = Math.min(prev.n, curr.n) - 1;
  if (df < 1) return null;
  const delta = curr.value - prev.value;
  const p = se === 0 ? (delta === 0 ? 1 : 0) : 2 * (1 - tCdf(Math.abs(delta) / se, df));
  const mdc = (tQuantile(0.975, df) + tQuantile(0.8, df)) * se;
  const significant = p < 0.05 && Math.abs(delta) >= mdc;
  return { delta, p, mdc, significant, direction: significant ? (delta > 0 ? 'up' : 'down') : 'none' };
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
        stats: new Map(),
      };
      byId.set(row.cycleId, block);
      blocks.push(block);
    }
    if (row.dimension) block.stats.set(row.dimension, row);
  }
  return blocks;
}
