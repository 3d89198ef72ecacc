import { tQuantile, twoSidedP } from './distributions';
import { sampleMean, sampleVariance, type Moments } from './moments';
import { assertOpenUnit } from './validate';

export interface WelchResult {
  /** mean(current) − mean(previous). */
  delta: number;
  /** Standard error of delta: √(s₁²/n₁ + s₂²/n₂). */
  se: number;
  t: number;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  df: number;
  /** Two-sided p-value. */
  p: number;
}

export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_POWER = 0.8;

/**
 * Whether a difference of two means is rounding noise: summing n copies of a value that is not
 * exactly representable (13/3) and dividing by n misses it by up to about n·ε·|value|, so two
 * constant samples of the same answer can have means that differ in the last bits. Only used when
 * both variances are zero and the usual t statistic is undefined.
 */
function isRoundingNoise(delta: number, a: Moments, b: Moments, meanA: number, meanB: number): boolean {
  return Math.abs(delta) <= (a.n + b.n) * Number.EPSILON * Math.max(Math.abs(meanA), Math.abs(meanB));
}

/**
 * Welch's unequal-variance t-test of current against previous (two-sided).
 *
 *   delta = x̄₂ − x̄₁,  se = √(v₁ + v₂) with vᵢ = sᵢ²/nᵢ,  t = delta / se,
 *   df = (v₁ + v₂)² / (v₁²/(n₁ − 1) + v₂²/(n₂ − 1))   (Welch–Satterthwaite),
 *   p = 2 · P(T_df ≤ −|t|).
 *
 * No finite-population correction: a change between cycles is a question about the team's
 * process, not about the particular people who answered.
 *
 * null when either side has n < 2. When both samples have zero variance, se = 0 and t and df are
 * undefined; we then report df = n₁ + n₂ − 2 (the pooled df, a convention), and treat the change
 * as certain: delta = 0 gives t = 0, p = 1; any other delta gives t = ±Infinity, p = 0 (every
 * answer moved, with no spread on either side). A delta at rounding-noise level is reported as 0.
 */
export function welchTest(previous: Moments, current: Moments): WelchResult | null {
  if (previous.n < 2 || current.n < 2) return null;
  const m1 = sampleMean(previous);
  const m2 = sampleMean(current);
  const v1 = sampleVariance(previous) / previous.n;
  const v2 = sampleVariance(current) / current.n;
  let delta = m2 - m1;
  if (v1 === 0 && v2 === 0) {
    if (isRoundingNoise(delta, previous, current, m1, m2)) delta = 0;
    const df = previous.n + current.n - 2;
    if (delta === 0) return { delta: 0, se: 0, t: 0, df, p: 1 };
    return { delta, se: 0, t: delta > 0 ? Infinity : -Infinity, df, p: 0 };
  }
  const se = Math.sqrt(v1 + v2);
  const df = (v1 + v2) ** 2 / (v1 ** 2 / (previous.n - 1) + v2 ** 2 / (current.n - 1));
  const t = delta / se;
  return { delta, se, t, df, p: twoSidedP(t, df) };
}

/**
 * Minimum detectable change: the smallest true change that a two-sided Welch test at level α
 * would detect with the given power, for these sample sizes and spreads:
 *
 *   MDC = (t_{1−α/2, df} + t_{power, df}) · se      (se and df from welchTest)
 *
 * Defaults α = 0.05, power = 0.8. 0 when se = 0. null when welchTest is null.
 */
export function minimumDetectableChange(
  previous: Moments,
  current: Moments,
  opts: { alpha?: number; power?: number } = {},
): number | null {
  const { alpha, power } = testOptions(opts);
  const w = welchTest(previous, current);
  if (!w) return null;
  return mdcOf(w, alpha, power);
}

function mdcOf(w: WelchResult, alpha: number, power: number): number {
  if (w.se === 0) return 0;
  return (tQuantile(1 - alpha / 2, w.df) + tQuantile(power, w.df)) * w.se;
}

/** α and power of a change test, defaults filled in; throws RangeError outside (0, 1). */
export function testOptions(opts: { alpha?: number; power?: number }): { alpha: number; power: number } {
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const power = opts.power ?? DEFAULT_POWER;
  assertOpenUnit('alpha', alpha);
  assertOpenUnit('power', power);
  return { alpha, power };
}

export interface ChangeResult {
  delta: number;
  p: number;
  mdc: number;
  significant: boolean;
  /** 'up' or 'down' only when significant. */
  direction: 'up' | 'down' | 'none';
}

/**
 * The change from one cycle to the next, flagged only when it is both statistically significant
 * and at least the minimum detectable change:
 *
 *   significant ⇔ p < α  and  |delta| ≥ MDC
 *
 * With power > 0.5, t_{power} > 0, so |delta| ≥ MDC already implies |t| > t_{1−α/2} and hence
 * p < α; the p condition is kept explicit for readability and for power ≤ 0.5.
 * Defaults α = 0.05, power = 0.8 (for the MDC). null when welchTest is null.
 */
export function changeBetween(
  previous: Moments,
  current: Moments,
  opts: { alpha?: number; power?: number } = {},
): ChangeResult | null {
  const { alpha, power } = testOptions(opts);
  const w = welchTest(previous, current);
  if (!w) return null;
  const mdc = mdcOf(w, alpha, power);
  const significant = w.p < alpha && Math.abs(w.delta) >= mdc;
  const direction = !significant ? 'none' : w.delta > 0 ? 'up' : 'down';
  return { delta: w.delta, p: w.p, mdc, significant, direction };
}
