import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';

/**
 * Quantile of Student's t distribution with `df` degrees of freedom (df may be fractional, as
 * Welch's df is): the t with P(T ≤ t) = p. Thin wrapper over @stdlib; NaN for p outside [0, 1]
 * or df ≤ 0.
 */
export function tQuantile(p: number, df: number): number {
  // Welch's fractional df rarely repeat: only whole ones are remembered.
  if (!Number.isInteger(df)) return tQuantileImpl(p, df);
  const key = `${p}|${df}`;
  let q = quantiles.get(key);
  if (q === undefined) {
    q = tQuantileImpl(p, df);
    if (quantiles.size >= QUANTILE_MEMO_SIZE) quantiles.clear();
    quantiles.set(key, q);
  }
  return q;
}

/**
 * Quantiles already computed: intervals ask for the same few (0.975 at n − 1 degrees of freedom,
 * n a team's size) thousands of times per view, and one costs ≈ 9 µs. A pure function's results,
 * bounded (cleared when full).
 */
const quantiles = new Map<string, number>();
const QUANTILE_MEMO_SIZE = 4096;

/** Cumulative distribution function P(T ≤ t) of Student's t with `df` degrees of freedom (@stdlib). */
export function tCdf(t: number, df: number): number {
  return tCdfImpl(t, df);
}

/** Two-sided p-value of a t statistic: P(|T| ≥ |t|), computed from the lower tail for accuracy. */
export function twoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}
