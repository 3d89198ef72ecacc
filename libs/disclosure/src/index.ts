/**
 * @candor/disclosure — which aggregate cells may be released: the k-threshold, open-cycle rule and
 * complementary suppression over the org tree. Pure, no I/O. docs/statistics.md explains the rules.
 */
export * from './threshold';
export * from './tree';
export * from './pooling';
export * from './audit';
export * from './gate';
export * from './periods';
