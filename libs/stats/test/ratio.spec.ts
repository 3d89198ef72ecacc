import fc from 'fast-check';
import {
  addRatioObservation,
  emptyRatioMoments,
  mergeRatioMoments,
  ratioEstimate,
  ratioMomentsOf,
  tQuantile,
  type RatioMoments,
} from '@candor/stats';
import { expectClose, score } from './helpers';
import { ratioCases } from './reference/values';

const trustBounds = { min: 3 / 7, max: 21 };

function expectRatioMomentsClose(a: RatioMoments, b: RatioMoments): void {
  expect(a.n).toBe(b.n);
  for (const key of ['sumX', 'sumXSq', 'sumY', 'sumYSq', 'sumXY'] as const) {
    expectClose(a[key], b[key], 1e-9, 1e-9);
  }
}

/** Per-response (X = C + R + I, Y = S) from four component scores on 1–7. */
const response = fc.tuple(score, score, score, score).map(([c, r, i, s]) => [c + r + i, s] as const);
const responses = (minLength: number) => fc.array(response, { minLength, maxLength: 50 });
const momentsOfPairs = (pairs: readonly (readonly [number, number])[]) =>
  ratioMomentsOf(
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
  );

describe('ratio moments', () => {
  it('accumulate n, ΣX, ΣX², ΣY, ΣY², ΣXY', () => {
    const r = ratioMomentsOf([6, 9], [2, 3]);
    expect(r).toEqual({ n: 2, sumX: 15, sumXSq: 117, sumY: 5, sumYSq: 13, sumXY: 39 });
    expect(addRatioObservation(emptyRatioMoments(), 6, 2)).toEqual({
      n: 1,
      sumX: 6,
      sumXSq: 36,
      sumY: 2,
      sumYSq: 4,
      sumXY: 12,
    });
    expect(mergeRatioMoments()).toEqual(emptyRatioMoments());
  });

  it('rejects mismatched lengths and non-finite values', () => {
    expect(() => ratioMomentsOf([1, 2], [1])).toThrow(RangeError);
    expect(() => addRatioObservation(emptyRatioMoments(), NaN, 1)).toThrow(RangeError);
  });

  it('property: parts merge to the whole', () => {
    fc.assert(
      fc.property(fc.array(responses(0), { maxLength: 6 }), (parts) => {
        expectRatioMomentsClose(
          mergeRatioMoments(...parts.map(momentsOfPairs)),
          momentsOfPairs(parts.flat()),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('ratioEstimate', () => {
  it.each(ratioCases)(
    '$name (N = $populationSize, level $level) matches the numpy/scipy delta method',
    ({ x, y, populationSize, level, value, se, df, lower, upper }) => {
      // Source: generate_reference.py — matrix-form delta method g'Σg/n with numpy.cov and the
      // gradient checked by scipy.differentiate.jacobian; interval from scipy.stats.t.interval.
      const est = ratioEstimate(ratioMomentsOf(x, y), {
        level,
        ...(populationSize === null ? {} : { populationSize }),
      })!;
      expectClose(est.value, value, 1e-14);
      expectClose(est.se, se, 1e-10);
      expect(est.df).toBe(df);
      expectClose(est.lower, lower, 1e-10);
      expectClose(est.upper, upper, 1e-10);
    },
  );

  it('is the ratio of the component means, not the mean of per-person ratios', () => {
    // (6/2 + 18/6)/2 = 3, but ΣX/ΣY = 24/8 = 3 here too; make them differ:
    const r = ratioMomentsOf([6, 18], [1, 6]);
    expect(ratioEstimate(r)!.value).toBe(24 / 7);
  });

  it('null for n < 2 or a zero denominator mean', () => {
    expect(ratioEstimate(ratioMomentsOf([9], [3]))).toBeNull();
    expect(ratioEstimate(ratioMomentsOf([9, 3], [0, 0]))).toBeNull();
  });

  it('exact proportionality has no uncertainty; a census collapses the interval', () => {
    const prop = ratioEstimate(ratioMomentsOf([6, 9, 12], [2, 3, 4]))!;
    expect(prop.value).toBe(3);
    expect(prop.se).toBeLessThan(1e-12);
    const census = ratioEstimate(ratioMomentsOf([6, 10, 12], [2, 3, 5]), { populationSize: 3 })!;
    expect(census).toMatchObject({ se: 0, fpc: 0, lower: census.value, upper: census.value });
  });

  it('clips to the trust-index range 3/7 … 21', () => {
    const est = ratioEstimate(ratioMomentsOf([21, 3], [1, 7]), { bounds: trustBounds })!;
    expect(est.lower).toBeGreaterThanOrEqual(3 / 7);
    expect(est.upper).toBeLessThanOrEqual(21);
  });

  it('rejects invalid options', () => {
    const r = ratioMomentsOf([6, 9, 12], [2, 3, 5]);
    expect(() => ratioEstimate(r, { level: 2 })).toThrow(RangeError);
    expect(() => ratioEstimate(r, { bounds: { min: 5, max: 1 } })).toThrow(RangeError);
  });

  describe('properties', () => {
    it('the interval contains the value and stays in 3/7 … 21', () => {
      fc.assert(
        fc.property(responses(2), (pairs) => {
          const est = ratioEstimate(momentsOfPairs(pairs), { bounds: trustBounds })!;
          expect(est.value).toBeGreaterThanOrEqual(3 / 7 - 1e-12);
          expect(est.value).toBeLessThanOrEqual(21 + 1e-12);
          expect(est.lower).toBeLessThanOrEqual(est.value);
          expect(est.value).toBeLessThanOrEqual(est.upper);
        }),
        { numRuns: 500 },
      );
    });

    it('the FPC interval lies inside the uncorrected one', () => {
      fc.assert(
        fc.property(responses(2), fc.integer({ min: 0, max: 100 }), (pairs, extra) => {
          const r = momentsOfPairs(pairs);
          const plain = ratioEstimate(r)!;
          const fpc = ratioEstimate(r, { populationSize: pairs.length + extra })!;
          expect(fpc.lower).toBeGreaterThanOrEqual(plain.lower);
          expect(fpc.upper).toBeLessThanOrEqual(plain.upper);
        }),
      );
    });

    it('every X exactly R·Y: no spread, a point, not an interval of rounding noise (fast-check counterexample)', () => {
      const est = ratioEstimate(
        momentsOfPairs([
          [8.571428571428571, 4.285714285714286],
          [12.571428571428573, 6.285714285714286],
        ]),
      )!;
      expect(est.value).toBeCloseTo(2, 14);
      expect(est.se).toBe(0);
      expect(est.upper).toBe(est.lower);
    });

    it('agrees with the delta method computed from the residuals X − R·Y (two-pass)', () => {
      fc.assert(
        fc.property(responses(2), (pairs) => {
          const n = pairs.length;
          const mx = pairs.reduce((s, p) => s + p[0], 0) / n;
          const my = pairs.reduce((s, p) => s + p[1], 0) / n;
          const R = mx / my;
          const s2 = pairs.reduce((s, [x, y]) => s + (x - R * y) ** 2, 0) / (n - 1);
          const se = Math.sqrt(s2 / n) / my;
          const est = ratioEstimate(momentsOfPairs(pairs))!;
          expectClose(est.value, R, 1e-12);
          expectClose(est.se, se, 1e-6, 1e-9);
          expectClose(est.upper - est.value, tQuantile(0.975, n - 1) * est.se, 1e-9, 1e-12);
        }),
        { numRuns: 500 },
      );
    });

    it('scaling X scales the estimate and its standard error', () => {
      fc.assert(
        fc.property(responses(2), fc.integer({ min: 2, max: 5 }), (pairs, c) => {
          const base = ratioEstimate(momentsOfPairs(pairs))!;
          const scaled = ratioEstimate(momentsOfPairs(pairs.map(([x, y]) => [c * x, y] as const)))!;
          expectClose(scaled.value, c * base.value, 1e-12);
          expectClose(scaled.se, c * base.se, 1e-6, 1e-9);
        }),
      );
    });
  });
});
