import { tCdf, tQuantile, twoSidedP } from '@candor/stats';
import { expectClose } from './helpers';
import { tCdf as cdfCases, tQuantile as quantileCases } from './reference/values';

describe('t distribution (wrappers over @stdlib)', () => {
  it('well-known critical values', () => {
    // python3 -c "from scipy import stats; print(stats.t.ppf(0.975, 10), stats.t.ppf(0.975, 1))"
    // → 2.228138851986274 12.706204736174694 (scipy 1.17.1); t₁ is Cauchy: tan(0.475π) also checks it.
    expectClose(tQuantile(0.975, 10), 2.228138851986274, 1e-13);
    expectClose(tQuantile(0.975, 1), 12.706204736174694, 1e-13);
    expectClose(tQuantile(0.975, 1), Math.tan(0.475 * Math.PI), 1e-13);
  });

  it.each(quantileCases)('tQuantile($p, $df) matches scipy.stats.t.ppf', ({ p, df, value }) => {
    // Source: scipy.stats.t.ppf via generate_reference.py. At p = 0.5 scipy returns ~1e-16 for 0.
    expectClose(tQuantile(p, df), value, 1e-11, 1e-14);
  });

  it.each(cdfCases)('tCdf($t, $df) matches scipy.stats.t.cdf', ({ t, df, value }) => {
    // Source: scipy.stats.t.cdf via generate_reference.py; relative precision holds deep in the tail.
    expectClose(tCdf(t, df), value, 1e-11, 1e-300);
  });

  it('quantile and cdf are inverse', () => {
    for (const df of [1, 3.5, 17, 200]) {
      for (const p of [0.001, 0.2, 0.5, 0.9, 0.999]) {
        expectClose(tCdf(tQuantile(p, df), df), p, 1e-12, 1e-15);
      }
    }
  });

  it('invalid arguments give NaN', () => {
    expect(tQuantile(1.5, 4)).toBeNaN();
    expect(tQuantile(0.5, -1)).toBeNaN();
    expect(tCdf(1, 0)).toBeNaN();
  });

  it('twoSidedP is symmetric and in [0, 1]', () => {
    expect(twoSidedP(0, 5)).toBe(1);
    expect(twoSidedP(2.5, 7)).toBe(twoSidedP(-2.5, 7));
    // python3 -c "from scipy import stats; print(2*stats.t.sf(2.5, 7))" → 0.04099221858575289 (scipy 1.17.1)
    expectClose(twoSidedP(2.5, 7), 0.04099221858575289, 1e-11);
    expect(twoSidedP(Infinity, 3)).toBe(0);
  });
});
