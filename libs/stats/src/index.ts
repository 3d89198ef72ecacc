/**
 * @candor/stats — pure statistics over additive sufficient statistics: means and t-intervals with
 * finite-population correction, the trust-index ratio with a delta-method interval, Welch change
 * tests with a minimum detectable change, Benjamini–Hochberg, Cronbach's α, pooled intervals that
 * allow for repeated respondents, and the rule that says whether an action worked. No I/O.
 * docs/statistics.md explains the formulas.
 */
export * from './moments';
export * from './distributions';
export * from './intervals';
export * from './welch';
export * from './bh';
export * from './alpha';
export * from './ratio';
export * from './pooled';
export * from './outcome';
export * from './random';
