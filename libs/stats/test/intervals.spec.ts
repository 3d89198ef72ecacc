import fc from 'fast-check';
import { finitePopulationCorrection, meanEstimate, momentsOf, tQuantile } from '@candor/stats';
import { expectClose, scores } from './helpers';
import { datasets, meanCases } from './reference/values';

const scale = { min: 1, max: 7 };

describe('finitePopulationCorrection', () => {
  it('is √((N − n)/(N − 1)), 1 without N, 0 for a census', () => {
    expect(finitePopulationCorrection(6)).toBe(1);
    expect(finitePopulationCorrection(6, Infinity)).toBe(1);
    expectClose(finitePopulationCorrection(6, 7), Math.sqrt(1 / 6), 1e-15);
    expectClose(finitePopulationCorrection(6, 30), Math.sqrt(24 / 29), 1e-15);
    expect(finitePopulationCorrection(7, 7)).toBe(0);
    expect(finitePopulationCorrection(1, 1)).toBe(0);
  });

  it('drops the correction when N < n (an inconsistent invited count is not trusted)', () => {
    expect(finitePopulationCorrection(8, 7)).toBe(1);
    expect(finitePopulationCorrection(8, 0)).toBe(1);
  });

  it('rejects invalid sizes', () => {
    expect(() => finitePopulationCorrection(5, -1)).toThrow(RangeError);
    expect(() => finitePopulationCorrection(5, NaN)).toThrow(RangeError);
    expect(() => finitePopulationCorrection(0, 10)).toThrow(RangeError);
  });
});

describe('meanEstimate', () => {
  it.each(meanCases)(
    '$dataset (N = $populationSize, level $level) matches scipy / statsmodels',
    ({ dataset, populationSize, level, mean, sd, se, df, fpc, lower, upper }) => {
      // Source: scipy.stats.t.interval and numpy via generate_reference.py; the no-FPC cases are
      // cross-checked against statsmodels DescrStatsW.tconfint_mean.
      const est = meanEstimate(momentsOf(datasets[dataset as keyof typeof datasets]), {
        level,
        ...(populationSize === null ? {} : { populationSize }),
      });
      expect(est).not.toBeNull();
      expectClose(est!.mean, mean, 1e-14);
      expectClose(est!.sd, sd, 1e-12);
      expectClose(est!.se, se, 1e-12);
      expect(est!.df).toBe(df);
      expectClose(est!.fpc, fpc, 1e-14);
      expectClose(est!.lower, lower, 1e-12);
      expectClose(est!.upper, upper, 1e-12);
    },
  );

  it('a 6-of-7 answer is narrower than a 6-of-30 answer, which is narrower than no correction', () => {
    const m = momentsOf(datasets.team6);
    const width = (e: ReturnType<typeof meanEstimate>) => e!.upper - e!.lower;
    expect(width(meanEstimate(m, { populationSize: 7 }))).toBeLessThan(
      width(meanEstimate(m, { populationSize: 30 })),
    );
    expect(width(meanEstimate(m, { populationSize: 30 }))).toBeLessThan(width(meanEstimate(m)));
  });

  it('null below two responses', () => {
    expect(meanEstimate(momentsOf([]))).toBeNull();
    expect(meanEstimate(momentsOf([4]))).toBeNull();
  });

  it('collapses to the mean when everyone answered (n = N)', () => {
    const est = meanEstimate(momentsOf([3, 4, 6, 7]), { populationSize: 4 });
    expect(est).toMatchObject({ mean: 5, se: 0, lower: 5, upper: 5, fpc: 0, df: 3 });
  });

  it('ignores N < n (no correction) instead of collapsing the interval', () => {
    const m = momentsOf([3, 4, 6, 7]);
    expect(meanEstimate(m, { populationSize: 3 })).toEqual(meanEstimate(m));
  });

  it('zero spread gives a zero-width interval', () => {
    expect(meanEstimate(momentsOf([5, 5, 5]))).toMatchObject({ sd: 0, se: 0, lower: 5, upper: 5 });
  });

  it('clips to the bounds', () => {
    // mean 6.5, sd 0.7071, se 0.5, t(0.975, 1) = 12.706 → raw interval [0.15, 12.85]
    const est = meanEstimate(momentsOf([6, 7]), { bounds: scale });
    expect(est).toMatchObject({ mean: 6.5, lower: 1, upper: 7 });
    const raw = meanEstimate(momentsOf([6, 7]))!;
    expectClose(raw.upper, 6.5 + tQuantile(0.975, 1) * 0.5, 1e-14);
  });

  it('rejects invalid options', () => {
    const m = momentsOf([1, 2, 3]);
    expect(() => meanEstimate(m, { level: 1 })).toThrow(RangeError);
    expect(() => meanEstimate(m, { level: 0 })).toThrow(RangeError);
    expect(() => meanEstimate(m, { bounds: { min: 7, max: 1 } })).toThrow(RangeError);
    expect(() => meanEstimate(m, { populationSize: -3 })).toThrow(RangeError);
  });

  describe('properties', () => {
    const sample = scores(2, 60);

    it('the interval contains the mean and stays inside the scale', () => {
      fc.assert(
        fc.property(sample, fc.double({ min: 0.5, max: 0.999, noNaN: true }), (xs, level) => {
          const est = meanEstimate(momentsOf(xs), { level, bounds: scale })!;
          expect(est.lower).toBeLessThanOrEqual(est.mean);
          expect(est.mean).toBeLessThanOrEqual(est.upper);
          expect(est.lower).toBeGreaterThanOrEqual(1);
          expect(est.upper).toBeLessThanOrEqual(7);
        }),
        { numRuns: 500 },
      );
    });

    it('the FPC interval lies inside the uncorrected one, and shrinks as N approaches n', () => {
      fc.assert(
        fc.property(
          sample,
          fc.integer({ min: 0, max: 200 }),
          fc.integer({ min: 1, max: 50 }),
          (xs, extra, more) => {
            const m = momentsOf(xs);
            const plain = meanEstimate(m)!;
            const small = meanEstimate(m, { populationSize: xs.length + extra })!;
            const large = meanEstimate(m, { populationSize: xs.length + extra + more })!;
            for (const [inner, outer] of [
              [small, large],
              [large, plain],
            ] as const) {
              expect(inner.lower).toBeGreaterThanOrEqual(outer.lower);
              expect(inner.upper).toBeLessThanOrEqual(outer.upper);
            }
          },
        ),
        { numRuns: 500 },
      );
    });

    it('a higher level gives a wider interval', () => {
      fc.assert(
        fc.property(sample, (xs) => {
          const m = momentsOf(xs);
          const e90 = meanEstimate(m, { level: 0.9 })!;
          const e95 = meanEstimate(m)!;
          expect(e95.lower).toBeLessThanOrEqual(e90.lower);
          expect(e95.upper).toBeGreaterThanOrEqual(e90.upper);
        }),
      );
    });

    it('the interval is symmetric about the mean before clipping, with half-width t·se', () => {
      fc.assert(
        fc.property(sample, (xs) => {
          const est = meanEstimate(momentsOf(xs))!;
          const half = tQuantile(0.975, xs.length - 1) * est.se;
          expectClose(est.upper - est.mean, half, 1e-9, 1e-12);
          expectClose(est.mean - est.lower, half, 1e-9, 1e-12);
        }),
      );
    });
  });
});
