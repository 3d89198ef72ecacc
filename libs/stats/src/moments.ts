import { assertFiniteNumber } from './validate';

/**
 * Additive sufficient statistics of one variable: count, Σx and Σx². Moments of disjoint sets of
 * responses add up to the moments of their union, so a group's statistics are the sum of its
 * teams' statistics and nothing needs to re-read responses.
 */
export interface Moments {
  n: number;
  sum: number;
  sumSq: number;
}

export function emptyMoments(): Moments {
  return { n: 0, sum: 0, sumSq: 0 };
}

/** Moments of a list of observations. Throws RangeError on a non-finite value. */
export function momentsOf(values: readonly number[]): Moments {
  let sum = 0;
  let sumSq = 0;
  for (const x of values) {
    assertFiniteNumber('observation', x);
    sum += x;
    sumSq += x * x;
  }
  return { n: values.length, sum, sumSq };
}

/**
 * Just the moments of a wider record of sums (e.g. a stored row that also carries a cross sum):
 * a copy with n, Σx and Σx² only.
 */
export function toMoments(s: Moments): Moments {
  return { n: s.n, sum: s.sum, sumSq: s.sumSq };
}

/** A new Moments with one more observation; the argument is not modified. */
export function addObservation(m: Moments, x: number): Moments {
  assertFiniteNumber('observation', x);
  return { n: m.n + 1, sum: m.sum + x, sumSq: m.sumSq + x * x };
}

/** Moments of the union of disjoint sets of observations. No arguments gives empty moments. */
export function mergeMoments(...parts: Moments[]): Moments {
  const out = emptyMoments();
  for (const p of parts) {
    out.n += p.n;
    out.sum += p.sum;
    out.sumSq += p.sumSq;
  }
  return out;
}

/** Σx / n; NaN when n = 0. */
export function sampleMean(m: Moments): number {
  return m.n > 0 ? m.sum / m.n : NaN;
}

/**
 * Corrected sum of squares Σ(x − x̄)² = Σx² − (Σx)²/n, computed from the sufficient statistics.
 *
 * The subtraction cancels when the spread is small next to the values, so the result carries a
 * rounding error of up to about n·ε·Σx² (ε = 2.2e-16, the worst case of naive summation). A result
 * at or below that noise floor cannot be told apart from zero and is returned as exactly 0; that
 * also turns tiny negative results into 0. For survey data on a 1–7 scale the floor is many orders
 * of magnitude below the smallest real spread (a single answer that differs by 1/3 of a point).
 */
export function centredSumOfSquares(n: number, sum: number, sumSq: number): number {
  if (n < 1) return NaN;
  const ss = sumSq - (sum * sum) / n;
  const noise = n * Number.EPSILON * sumSq;
  return ss <= noise ? 0 : ss;
}

/** Sample variance with the n − 1 denominator; NaN when n < 2; never negative (see centredSumOfSquares). */
export function sampleVariance(m: Moments): number {
  if (m.n < 2) return NaN;
  return centredSumOfSquares(m.n, m.sum, m.sumSq) / (m.n - 1);
}

/** √sampleVariance; NaN when n < 2. */
export function sampleSd(m: Moments): number {
  return Math.sqrt(sampleVariance(m));
}
