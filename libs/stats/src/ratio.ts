import { tCdf, tQuantile } from './distributions';
import {
  checkedLevel,
  finitePopulationCorrection,
  tInterval,
  type IntervalOptions,
  type TInterval,
} from './intervals';
import { centredSumOfSquares } from './moments';
import { testOptions, type ChangeResult } from './welch';
import { assertFiniteNumber } from './validate';

/**
 * Additive sufficient statistics of a pair (X, Y) per response: n, ΣX, ΣX², ΣY, ΣY², ΣXY.
 * For the trust index X = C + R + I and Y = S, each the response's component score.
 */
export interface RatioMoments {
  n: number;
  sumX: number;
  sumXSq: number;
  sumY: number;
  sumYSq: number;
  sumXY: number;
}

export function emptyRatioMoments(): RatioMoments {
  return { n: 0, sumX: 0, sumXSq: 0, sumY: 0, sumYSq: 0, sumXY: 0 };
}

/** A new RatioMoments with one more (x, y) pair; the argument is not modified. */
export function addRatioObservation(r: RatioMoments, x: number, y: number): RatioMoments {
  assertFiniteNumber('x', x);
  assertFiniteNumber('y', y);
  return {
    n: r.n + 1,
    sumX: r.sumX + x,
    sumXSq: r.sumXSq + x * x,
    sumY: r.sumY + y,
    sumYSq: r.sumYSq + y * y,
    sumXY: r.sumXY + x * y,
  };
}

/** RatioMoments of paired observations xs[i], ys[i]. Throws RangeError when the lengths differ. */
export function ratioMomentsOf(xs: readonly number[], ys: readonly number[]): RatioMoments {
  if (xs.length !== ys.length) {
    throw new RangeError(`xs and ys must have the same length (${xs.length} ≠ ${ys.length})`);
  }
  return xs.reduce((r, x, i) => addRatioObservation(r, x, ys[i]!), emptyRatioMoments());
}

/** RatioMoments of the union of disjoint sets of responses. */
export function mergeRatioMoments(...parts: RatioMoments[]): RatioMoments {
  const out = emptyRatioMoments();
  for (const p of parts) {
    out.n += p.n;
    out.sumX += p.sumX;
    out.sumXSq += p.sumXSq;
    out.sumY += p.sumY;
    out.sumYSq += p.sumYSq;
    out.sumXY += p.sumXY;
  }
  return out;
}

export interface RatioEstimate extends TInterval {
  n: number;
  /** R = X̄ / Ȳ. */
  value: number;
}

/**
 * Ratio of means R = X̄ / Ȳ with a delta-method t-interval. For the trust index, X = C + R + I and
 * Y = S per response, so R = (C̄ + R̄ + Ī) / S̄ — the ratio of the component means, never the mean
 * of per-person ratios.
 *
 * Delta method (first-order Taylor expansion of g(a, b) = a/b around the means):
 *
 *   Var(R) ≈ (1/Ȳ²) · [Var(X̄) − 2R·Cov(X̄, Ȳ) + R²·Var(Ȳ)]
 *          = fpc² · (s²_x − 2R·s_xy + R²·s²_y) / (n·Ȳ²)
 *
 * with Var(X̄) = fpc²·s²_x/n, Var(Ȳ) = fpc²·s²_y/n, Cov(X̄, Ȳ) = fpc²·s_xy/n, the sample
 * (co)variances using n − 1, and the same finite-population correction fpc = √((N − n)/(N − 1))
 * as meanEstimate (1 without populationSize). The bracket is the sample variance of the residuals
 * X − R·Y, so it is never negative (tiny negative rounding is clamped to 0).
 *
 *   interval = R ± t_{(1+level)/2, n−1} · se,  se = √Var(R),  clipped to `bounds` if given
 *
 * null when n < 2 or Ȳ = 0.
 */
export function ratioEstimate(r: RatioMoments, opts: IntervalOptions = {}): RatioEstimate | null {
  const level = checkedLevel(opts);
  if (r.n < 2) return null;
  const meanX = r.sumX / r.n;
  const meanY = r.sumY / r.n;
  if (meanY === 0) return null;
  const fpc = finitePopulationCorrection(r.n, opts.populationSize);
  const value = meanX / meanY;
  assertFiniteNumber('ratio', value);
  const sxx = centredSumOfSquares(r.n, r.sumX, r.sumXSq) / (r.n - 1);
  const syy = centredSumOfSquares(r.n, r.sumY, r.sumYSq) / (r.n - 1);
  const sxy = (r.sumXY - (r.sumX * r.sumY) / r.n) / (r.n - 1);
  // As centredSumOfSquares does for a variance: a result within the rounding of its terms is 0
  // (every X exactly R·Y leaves ≈ 10⁻¹⁴ of cancellation, which would show a point as an interval).
  const combined = sxx - 2 * value * sxy + value * value * syy;
  const noise =
    (r.n * Number.EPSILON * (r.sumXSq + 2 * Math.abs(value * r.sumXY) + value * value * r.sumYSq)) /
    (r.n - 1);
  const residualVariance = combined <= noise ? 0 : combined;
  const se = (fpc * Math.sqrt(residualVariance / r.n)) / Math.abs(meanY);
  return { n: r.n, value, ...tInterval(value, se, r.n, fpc, level, opts.bounds) };
}

/** One ratio estimate as a change test needs it: the value, its standard error (no FPC), n. */
export interface RatioPoint {
  value: number;
  se: number;
  n: number;
}

/**
 * Change of a ratio (the trust index) from `previous` to `current`: the two delta-method standard
 * errors combined, se = √(se₁² + se₂²), with a t reference on the smaller sample's degrees of
 * freedom, df = min(n₁, n₂) − 1 (conservative). The MDC and the significance rule are those of
 * `changeBetween`: MDC = (t_{1−α/2, df} + t_{power, df}) · se; significant ⇔ p < α and
 * |delta| ≥ MDC. With se = 0, p is 1 for no change and 0 otherwise. Defaults α = 0.05,
 * power = 0.8. null when df < 1.
 */
export function ratioChange(
  previous: RatioPoint,
  current: RatioPoint,
  opts: { alpha?: number; power?: number } = {},
): ChangeResult | null {
  const { alpha, power } = testOptions(opts);
  const se = Math.sqrt(previous.se ** 2 + current.se ** 2);
  const df = Math.min(previous.n, current.n) - 1;
  if (df < 1) return null;
  const delta = current.value - previous.value;
  const p = se === 0 ? (delta === 0 ? 1 : 0) : Math.min(1, 2 * tCdf(-Math.abs(delta) / se, df));
  const mdc = (tQuantile(1 - alpha / 2, df) + tQuantile(power, df)) * se;
  const significant = p < alpha && Math.abs(delta) >= mdc;
  return { delta, p, mdc, significant, direction: significant ? (delta > 0 ? 'up' : 'down') : 'none' };
}
