/**
 * @candor/disclosure — which aggregate cells may be released: the release gate (k, open cycles,
 * final periods, and the ledger of everything released before, checked exactly by the auditor),
 * the cells of a sealed month, and the fixed pooled blocks of a team. Pure, no I/O.
 * docs/statistics.md and docs/anonymity.md explain the rules.
 */
export * from './threshold';
export * from './pooling';
export * from './audit';
export * from './gate';
export * from './periods';
export * from './comments';
