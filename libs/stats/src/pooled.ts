import { tQuantile } from './distributions';
import { DEFAULT_LEVEL, type IntervalOptions } from './intervals';
import { mergeMoments, sampleMean, sampleVariance, type Moments } from './moments';
import { mergeRatioMoments, ratioEstimate, type RatioMoments } from './ratio';
import { assertBounds, assertFiniteNumber, assertOpenUnit, clipInterval } from './validate';

/**
 * Pooled estimates over several cycles whose respondents repeat (the same team answering week
 * after week). Answers are not linked across cycles — by design nobody can tell who answered what
 * — so the repeats cannot be measured. What can be bounded from the stored counts alone is how
 * much they could matter: a design effect at its upper bound. docs/statistics.md, "Pooled
 * intervals with repeated respondents", gives the derivation and the simulation.
 *
 * Model: answer of person i in cycle c is x = μ + uᵢ + e, with a personal leaning uᵢ (variance
 * σ²ᵤ) shared by all of i's answers and noise e (σ²ₑ). With mᵢ = the number of pooled cycles
 * person i answered and n = Σ mᵢ,
 *
 *   Var(x̄) = (σ²ᵤ · Σ mᵢ² + σ²ₑ · n) / n²  =  σ²/n · (1 + (Σmᵢ²/n − 1)·ρ),   ρ = σ²ᵤ / σ²
 *
 * (Kish's design effect for clusters of unequal size). Neither ρ nor the mᵢ are known. For every
 * ρ in [0, 1] the factor is at most Σmᵢ²/n, and for given cycle sizes n_c, Σmᵢ² is largest when
 * the respondents of the smaller cycles are all among those of the larger ones (nested sets; by
 * Gale–Ryser the nested row sums majorise every other arrangement's, and Σm² is Schur-convex).
 * Then Σmᵢ² = Σ_c Σ_d min(n_c, n_d). So
 *
 *   deff = Σ_teams Σ_{c,d of the team} min(n_c, n_d) / n        (1 for a single cycle)
 *
 * holds whatever ρ is and whoever answered. Cycles of different teams are taken to share nobody.
 *
 * The pooled answers' sample variance also understates σ² when answers repeat: the expected sum of
 * squares about the pooled mean is σ²·(n − deff), not σ²·(n − 1). The estimators below divide by
 * n − deff with the same bound, so σ² is estimated without bias when the bound is reached (ρ = 1,
 * nested respondents) and over-estimated otherwise. Together:
 *
 *   se = s · √(deff / n) · √((n − 1) / (n − deff)),   t on n/deff − 1 degrees of freedom
 *
 * where s is the ordinary sample sd of the pooled answers. Exact at the bound, conservative below it.
 */
export function repeatedRespondentsDesignEffect(
  cycleCounts: readonly number[],
  teams?: readonly string[],
): number {
  if (teams && teams.length !== cycleCounts.length) {
    throw new RangeError(`teams must name the team of each cycle (${teams.length} ≠ ${cycleCounts.length})`);
  }
  const byTeam = new Map<string, number[]>();
  cycleCounts.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`cycle count must be a whole number ≥ 0, got ${n}`);
    const key = teams?.[i] ?? '';
    const list = byTeam.get(key) ?? [];
    list.push(n);
    byTeam.set(key, list);
  });
  const total = cycleCounts.reduce((a, b) => a + b, 0);
  if (total === 0) return 1;
  let squares = 0;
  for (const counts of byTeam.values()) {
    for (const a of counts) for (const b of counts) squares += Math.min(a, b);
  }
  return squares / total;
}

export interface PooledOptions extends Pick<IntervalOptions, 'level' | 'bounds'> {
  /** The team of each cycle, when the pool spans teams (their respondents are taken to be distinct). */
  teams?: readonly string[];
}

export interface PooledEstimate {
  n: number;
  mean: number;
  /** Standard error allowing for repeats: se_naive · √(deff · (n − 1) / (n − deff)). */
  se: number;
  /** The naive standard error that treats every answer as a different person: s / √n. */
  seNaive: number;
  /** Upper bound of the design effect (see repeatedRespondentsDesignEffect); 1 for one cycle. */
  designEffect: number;
  /** n / deff: at least the largest cycle's n, at most n; always above 1 (otherwise no estimate). */
  effectiveN: number;
  /** Degrees of freedom of the t quantile: effectiveN − 1 (at least 1). */
  df: number;
  lower: number;
  upper: number;
}

function interval(
  centre: number,
  seNaive: number,
  deff: number,
  n: number,
  opts: PooledOptions,
): Pick<PooledEstimate, 'se' | 'effectiveN' | 'df' | 'lower' | 'upper'> {
  const effectiveN = n / deff;
  const df = Math.max(1, effectiveN - 1);
  const se = seNaive * Math.sqrt((deff * (n - 1)) / (n - deff));
  const level = opts.level ?? DEFAULT_LEVEL;
  const half = se === 0 ? 0 : tQuantile((1 + level) / 2, df) * se;
  const [lower, upper] = clipInterval(centre - half, centre + half, opts.bounds);
  return { se, effectiveN, df, lower, upper };
}

/** Checks the options; the design effect of the pool, or null when its answers could be one person's. */
function poolDesignEffect(cycles: readonly { n: number }[], n: number, opts: PooledOptions): number | null {
  assertOpenUnit('level', opts.level ?? DEFAULT_LEVEL);
  if (opts.bounds) assertBounds(opts.bounds);
  const deff = repeatedRespondentsDesignEffect(
    cycles.map((c) => c.n),
    opts.teams,
  );
  return deff < n ? deff : null;
}

/**
 * Mean of pooled cycles with a t-interval that allows for repeated respondents (see the formulas
 * above): x̄ ± t(effectiveN − 1) · se. No finite-population correction (a pool is about the team's
 * level, not one week's people). null when the pool has fewer than 2 answers, or when they could
 * all be one person's (effectiveN ≤ 1, e.g. one answer in each of three cycles).
 */
export function pooledMeanEstimate(
  cycles: readonly Moments[],
  opts: PooledOptions = {},
): PooledEstimate | null {
  const merged = mergeMoments(...cycles);
  const designEffect = poolDesignEffect(cycles, merged.n, opts);
  if (merged.n < 2 || designEffect === null) return null;
  const mean = sampleMean(merged);
  assertFiniteNumber('mean', mean);
  const seNaive = Math.sqrt(sampleVariance(merged) / merged.n);
  return {
    n: merged.n,
    mean,
    seNaive,
    designEffect,
    ...interval(mean, seNaive, designEffect, merged.n, opts),
  };
}

/**
 * The trust index (ratio of means, delta method; see ratioEstimate) of pooled cycles, with the
 * same allowance for repeats as pooledMeanEstimate: every answer pair (X, Y) of a person repeats
 * with them. null when the pool has fewer than 2 answers, Ȳ = 0, or effectiveN ≤ 1.
 */
export function pooledRatioEstimate(
  cycles: readonly RatioMoments[],
  opts: PooledOptions = {},
): PooledEstimate | null {
  const merged = mergeRatioMoments(...cycles);
  const designEffect = poolDesignEffect(cycles, merged.n, opts);
  const naive = ratioEstimate(merged);
  if (!naive || designEffect === null) return null;
  return {
    n: merged.n,
    mean: naive.value,
    seNaive: naive.se,
    designEffect,
    ...interval(naive.value, naive.se, designEffect, merged.n, opts),
  };
}
