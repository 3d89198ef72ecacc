import { tQuantile } from './distributions';
import { sampleMean, sampleVariance, type Moments } from './moments';
import { assertBounds, assertFiniteNumber, assertOpenUnit, clipInterval } from './validate';

export interface IntervalOptions {
  /**
   * Size N of the finite population the n responses were drawn from (a team's invited count).
   * Omit (or pass Infinity) for no finite-population correction. See finitePopulationCorrection.
   */
  populationSize?: number;
  /** Confidence level of the two-sided interval; default 0.95. */
  level?: number;
  /** The scale's range (e.g. 1–7): the interval is clipped to it. */
  bounds?: { min: number; max: number };
}

export const DEFAULT_LEVEL = 0.95;

/**
 * Finite-population correction √((N − n)/(N − 1)) that multiplies a standard error when n of N
 * people answered. 1 when N is omitted or infinite; 0 when everyone answered (N = n).
 *
 * N < n means the invited count is inconsistent with the responses (someone answered who was not
 * counted at open). We do not trust such an N: the correction is dropped (1, the wide, conservative
 * choice) rather than treating the answers as a census and collapsing the interval to a point.
 * That includes N = 0. Throws RangeError when N is negative or NaN, or when n < 1.
 */
export function finitePopulationCorrection(n: number, populationSize?: number): number {
  if (!(n >= 1)) throw new RangeError(`n must be at least 1, got ${n}`);
  if (populationSize === undefined || populationSize === Infinity) return 1;
  if (typeof populationSize !== 'number' || !(populationSize >= 0)) {
    throw new RangeError(`populationSize must be a non-negative number, got ${String(populationSize)}`);
  }
  if (populationSize < n) return 1;
  if (populationSize === 1) return 0; // n = N = 1: a census of one
  return Math.sqrt((populationSize - n) / (populationSize - 1));
}

/** What every t-interval estimate (mean, ratio of means) reports beside its value. */
export interface TInterval {
  /** Standard error of the value, finite-population corrected. */
  se: number;
  /** Degrees of freedom of the t quantile: n − 1. */
  df: number;
  lower: number;
  upper: number;
  /** The finite-population correction applied to se (1 = none). */
  fpc: number;
}

export interface MeanEstimate extends TInterval {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator). */
  sd: number;
  /** Standard error of the mean, finite-population corrected: fpc · sd / √n. */
  se: number;
}

/** The confidence level of `opts` (default 0.95), once it and the bounds have been checked. */
export function checkedLevel(opts: IntervalOptions): number {
  const level = opts.level ?? DEFAULT_LEVEL;
  assertOpenUnit('level', level);
  if (opts.bounds) assertBounds(opts.bounds);
  return level;
}

/**
 * value ± t_{(1+level)/2, n−1} · se, clipped to `bounds` if given (a zero se gives the point): the
 * interval part of an estimate of n responses.
 */
export function tInterval(
  value: number,
  se: number,
  n: number,
  fpc: number,
  level: number,
  bounds?: { min: number; max: number },
): TInterval {
  const df = n - 1;
  const half = se === 0 ? 0 : tQuantile((1 + level) / 2, df) * se;
  const [lower, upper] = clipInterval(value - half, value + half, bounds);
  return { se, df, lower, upper, fpc };
}

/**
 * Mean with a two-sided t-interval: x̄ ± t_{(1+level)/2, n−1} · fpc · s/√n.
 *
 * - `level` defaults to 0.95.
 * - With `populationSize` N the standard error is multiplied by √((N − n)/(N − 1)); when everyone
 *   answered (n = N) the interval collapses to the mean. N < n drops the correction (see
 *   finitePopulationCorrection).
 * - With `bounds` both ends are clamped into [min, max] (a 1–7 scale cannot have a mean of 7.4).
 * - null when n < 2: one answer has no spread to estimate.
 */
export function meanEstimate(m: Moments, opts: IntervalOptions = {}): MeanEstimate | null {
  const level = checkedLevel(opts);
  if (m.n < 2) return null;
  const fpc = finitePopulationCorrection(m.n, opts.populationSize);
  const mean = sampleMean(m);
  const sd = Math.sqrt(sampleVariance(m));
  assertFiniteNumber('mean', mean);
  const se = (fpc * sd) / Math.sqrt(m.n);
  return { n: m.n, mean, sd, ...tInterval(mean, se, m.n, fpc, level, opts.bounds) };
}
