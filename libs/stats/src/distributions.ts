import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';

/**
 * Quantile of Student's t distribution with `df` degrees of freedom (df may be fractional, as
 * Welch's df is): the t with P(T ≤ t) = p. Thin wrapper over @stdlib; NaN for p outside [0, 1]
 * or df ≤ 0.
 */
export function tQuantile(p: number, df: number): number {
  return tQuantileImpl(p, df);
}

/** Cumulative distribution function P(T ≤ t) of Student's t with `df` degrees of freedom (@stdlib). */
export function tCdf(t: number, df: number): number {
  return tCdfImpl(t, df);
}

/** Two-sided p-value of a t statistic: P(|T| ≥ |t|), computed from the lower tail for accuracy. */
export function twoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}
