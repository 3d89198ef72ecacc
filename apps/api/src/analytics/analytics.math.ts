import type { Change, DimensionInfo, FavourableCell, InstrumentId } from '@candor/contracts';
import { releaseCell, requireAlso, type GateDecision } from '@candor/disclosure';
import { currentInstrument, TRUST_INDEX } from '@candor/instruments';
import {
  changeBetween,
  emptyMoments,
  emptyRatioMoments,
  meanEstimate,
  pooledMeanEstimate,
  pooledRatioEstimate,
  ratioChange,
  ratioEstimate,
  toMoments,
  welchTest,
  type RatioMoments,
} from '@candor/stats';

/** One cycle_stats row's sums (or the merge of several). */
export interface Sums {
  n: number;
  sum: number;
  sumSq: number;
  sumCross: number;
}

/** dimension → sums */
export type StatBag = Map<string, Sums>;

export function addToBag(bag: StatBag, dimension: string, s: Sums): void {
  const prev = bag.get(dimension);
  if (!prev) {
    bag.set(dimension, { ...s });
    return;
  }
  prev.n += s.n;
  prev.sum += s.sum;
  prev.sumSq += s.sumSq;
  prev.sumCross += s.sumCross;
}

export function mergeBags(...bags: StatBag[]): StatBag {
  const out: StatBag = new Map();
  for (const bag of bags) for (const [d, s] of bag) addToBag(out, d, s);
  return out;
}

/** a − b, dimension by dimension (the rest of a group once a team is taken out). */
export function subtractBag(a: StatBag, b: StatBag): StatBag {
  const out: StatBag = new Map();
  for (const [d, s] of a) {
    const t = b.get(d) ?? { n: 0, sum: 0, sumSq: 0, sumCross: 0 };
    out.set(d, {
      n: s.n - t.n,
      sum: s.sum - t.sum,
      sumSq: s.sumSq - t.sumSq,
      sumCross: s.sumCross - t.sumCross,
    });
  }
  return out;
}

/** The dimensions of an instrument's trend, trust index first for the trust equation. */
export function trendDimensions(instrumentId: InstrumentId): DimensionInfo[] {
  const instrument = currentInstrument(instrumentId);
  const dims =
    instrumentId === 'trust-equation'
      ? [TRUST_INDEX, ...instrument.responseDimensions]
      : instrument.responseDimensions;
  return dims.map(({ id, label, min, max }) => ({ id, label, min, max }));
}

/** The cycle_stats row of a dimension's favourable answers (see cycle-stats.sql.ts). */
export function favourableRow(dimensionId: string): string {
  return `favourable:${dimensionId}`;
}

/** The cycle_stats rows a trend needs: each dimension's moments and favourable answers. */
export function statsDimensions(instrumentId: InstrumentId): string[] {
  const instrument = currentInstrument(instrumentId);
  const ids = instrument.responseDimensions.map((d) => d.id);
  return [...ids, 'total', ...ids.map(favourableRow)].concat(
    instrumentId === 'trust-equation' ? ['trust_index'] : [],
  );
}

/**
 * The favourable share of a dimension in a cell, released by the same gate decision as the mean
 * beside it (so under the same k rule and ledger); undefined for the trust index, which has no
 * answers of its own. A released decision with no favourable row (a cycle closed before the rows
 * existed and not backfilled) or no answers is suppressed as below-k rather than shown as 0 %.
 */
export function favourableCell(
  decision: GateDecision,
  dimensionId: string,
  bag: StatBag,
): FavourableCell | undefined {
  if (dimensionId === TRUST_INDEX.id) return undefined;
  const row = bag.get(favourableRow(dimensionId));
  const answers = row?.sumCross ?? 0;
  return releaseCell(requireAlso(decision, answers > 0, 'below-k'), () => ({
    share: row!.sum / answers,
    answers,
  }));
}

/** Number of responses behind a bag: every response has a total score. */
export function responsesIn(bag: StatBag): number {
  return bag.get('total')?.n ?? 0;
}

/** X = C+R+I and Y = S moments of the trust index, or null when the rows are missing or disagree. */
export function ratioMomentsOf(bag: StatBag): RatioMoments | null {
  const x = bag.get('trust_index');
  const y = bag.get('self_orientation');
  if (!x || !y || x.n !== y.n) return null;
  return { n: x.n, sumX: x.sum, sumXSq: x.sumSq, sumY: y.sum, sumYSq: y.sumSq, sumXY: x.sumCross };
}

export interface DimEstimate {
  n: number;
  mean: number;
  lower: number;
  upper: number;
  /** Standard error without finite-population correction (for tests between groups of responses). */
  seRaw: number;
}

/**
 * Mean (or trust index) of one dimension with its 95% interval; null when it cannot be estimated
 * (n < 2, missing rows). `populationSize` applies the finite-population correction.
 */
export function estimateDimension(
  dim: DimensionInfo,
  bag: StatBag,
  populationSize?: number,
): DimEstimate | null {
  const bounds = { min: dim.min, max: dim.max };
  if (dim.id === 'trust_index') {
    const r = ratioMomentsOf(bag);
    if (!r) return null;
    const e = ratioEstimate(r, { populationSize, bounds });
    const raw = ratioEstimate(r);
    if (!e || !raw) return null;
    return { n: e.n, mean: e.value, lower: e.lower, upper: e.upper, seRaw: raw.se };
  }
  const s = bag.get(dim.id);
  if (!s) return null;
  const e = meanEstimate(toMoments(s), { populationSize, bounds });
  if (!e) return null;
  return { n: e.n, mean: e.mean, lower: e.lower, upper: e.upper, seRaw: e.sd / Math.sqrt(e.n) };
}

/**
 * A dimension over pooled cycles of one team (`bags`, one per cycle), with the interval widened
 * for repeated respondents: the same people answer in every pooled cycle, so their answers are not
 * independent. `designEffect` is the upper bound the interval allows for
 * (`repeatedRespondentsDesignEffect` in @candor/stats; docs/statistics.md). No finite-population
 * correction. Null when it cannot be estimated (fewer than 2 answers, or answers that could all be
 * one person's).
 */
export function estimatePooled(
  dim: DimensionInfo,
  bags: StatBag[],
): (DimEstimate & { designEffect: number }) | null {
  const bounds = { min: dim.min, max: dim.max };
  const e =
    dim.id === 'trust_index'
      ? pooledRatioEstimate(
          bags.map((b) => ratioMomentsOf(b) ?? emptyRatioMoments()),
          { bounds },
        )
      : pooledMeanEstimate(
          bags.map((b) => {
            const s = b.get(dim.id);
            return s ? toMoments(s) : emptyMoments();
          }),
          { bounds },
        );
  if (!e) return null;
  return {
    n: e.n,
    mean: e.mean,
    lower: e.lower,
    upper: e.upper,
    seRaw: e.seNaive,
    designEffect: e.designEffect,
  };
}

/**
 * Change of one dimension from `previous` to `current`: Welch's test for means, and for the trust
 * index the delta-method standard errors of the two ratios combined with a t reference on the
 * smaller sample's degrees of freedom (conservative). Null when it cannot be tested.
 */
export function changeOf(dim: DimensionInfo, previous: StatBag, current: StatBag): Change | null {
  if (dim.id === 'trust_index') {
    const a = estimateDimension(dim, previous);
    const b = estimateDimension(dim, current);
    if (!a || !b) return null;
    return ratioChange({ value: a.mean, se: a.seRaw, n: a.n }, { value: b.mean, se: b.seRaw, n: b.n });
  }
  const p = previous.get(dim.id);
  const c = current.get(dim.id);
  if (!p || !c) return null;
  const change = changeBetween(toMoments(p), toMoments(c));
  return change
    ? {
        delta: change.delta,
        p: change.p,
        mdc: change.mdc,
        significant: change.significant,
        direction: change.direction,
      }
    : null;
}

/**
 * Two-sided test of a team against the rest of its group (disjoint responses): Welch's t-test for
 * means, the delta-method test of `ratioChange` (@candor/stats) for the trust index. delta = team − rest.
 */
export function testAgainstRest(
  dim: DimensionInfo,
  team: StatBag,
  rest: StatBag,
): { delta: number; p: number } | null {
  if (dim.id === 'trust_index') {
    const c = changeOf(dim, rest, team);
    return c ? { delta: c.delta, p: c.p } : null;
  }
  const t = team.get(dim.id);
  const r = rest.get(dim.id);
  if (!t || !r) return null;
  const w = welchTest(toMoments(r), toMoments(t));
  return w ? { delta: w.delta, p: w.p } : null;
}

/** `YYYY-MM` → [first instant of the month, first instant of the next], UTC. */
export function monthRange(period: string): [Date, Date] {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return [new Date(Date.UTC(y, m - 1, 1)), new Date(Date.UTC(y, m, 1))];
}

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}
