import fc from 'fast-check';
import {
  addObservation,
  centredSumOfSquares,
  emptyMoments,
  mergeMoments,
  momentsOf,
  sampleMean,
  sampleSd,
  sampleVariance,
  type Moments,
  toMoments,
} from '@candor/stats';
import { expectClose, real, scores } from './helpers';
import { datasets, meanCases } from './reference/values';

function expectMomentsClose(a: Moments, b: Moments): void {
  expect(a.n).toBe(b.n);
  expectClose(a.sum, b.sum, 1e-9, 1e-9);
  expectClose(a.sumSq, b.sumSq, 1e-9, 1e-9);
}

/** Two-pass variance, the numerically careful textbook way. */
function twoPassVariance(xs: readonly number[]): number {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
}

describe('moments', () => {
  it('emptyMoments is all zero and a fresh object each time', () => {
    expect(emptyMoments()).toEqual({ n: 0, sum: 0, sumSq: 0 });
    expect(emptyMoments()).not.toBe(emptyMoments());
  });

  it('momentsOf computes n, Σx and Σx²', () => {
    expect(momentsOf([1, 2, 3, 7])).toEqual({ n: 4, sum: 13, sumSq: 63 });
    expect(momentsOf([])).toEqual(emptyMoments());
  });

  it('toMoments keeps n, Σx and Σx² of a wider record and copies them', () => {
    const row = { n: 3, sum: 12, sumSq: 50, sumCross: 7 };
    const m = toMoments(row);
    expect(m).toEqual({ n: 3, sum: 12, sumSq: 50 });
    expect(m).not.toBe(row);
  });

  it('addObservation returns a new object and leaves its argument alone', () => {
    const m = momentsOf([2, 4]);
    const next = addObservation(m, 5);
    expect(next).toEqual({ n: 3, sum: 11, sumSq: 45 });
    expect(m).toEqual({ n: 2, sum: 6, sumSq: 20 });
  });

  it('rejects non-finite observations', () => {
    expect(() => momentsOf([1, NaN])).toThrow(RangeError);
    expect(() => addObservation(emptyMoments(), Infinity)).toThrow(RangeError);
  });

  it('mergeMoments of nothing is empty; of one part is a copy', () => {
    expect(mergeMoments()).toEqual(emptyMoments());
    const m = momentsOf([1, 2]);
    const copy = mergeMoments(m);
    expect(copy).toEqual(m);
    expect(copy).not.toBe(m);
  });

  it('sampleMean is NaN for n = 0', () => {
    expect(sampleMean(emptyMoments())).toBeNaN();
    expect(sampleMean(momentsOf([3, 4, 8]))).toBe(5);
  });

  it('sampleVariance uses n − 1 and is NaN for n < 2', () => {
    expect(sampleVariance(emptyMoments())).toBeNaN();
    expect(sampleVariance(momentsOf([4]))).toBeNaN();
    expect(sampleVariance(momentsOf([3, 6]))).toBe(4.5);
    expect(sampleSd(momentsOf([2, 4, 4, 4, 5, 5, 7, 9]))).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });

  it('sampleVariance of a constant sample is exactly 0, even when the sums do not cancel exactly', () => {
    // 13/3 is not representable: Σx² − (Σx)²/n leaves a rounding residue that must not become a spread.
    const m = momentsOf(Array.from({ length: 7 }, () => 13 / 3));
    expect(m.sumSq - (m.sum * m.sum) / m.n).toBeGreaterThan(0); // ≈ 2.8e-14 without the snap
    expect(sampleVariance(m)).toBe(0);
    expect(sampleVariance(momentsOf([5, 5, 5]))).toBe(0);
    expect(centredSumOfSquares(0, 0, 0)).toBeNaN();
  });

  it('sampleVariance clamps a negative rounding residue to 0', () => {
    expect(sampleVariance({ n: 3, sum: 3, sumSq: 3 - 1e-15 })).toBe(0);
  });

  it('matches numpy / statsmodels for the reference datasets', () => {
    // Reference: numpy.std(x, ddof=1) via generate_reference.py (see reference/values.ts header).
    for (const c of meanCases) {
      const m = momentsOf(datasets[c.dataset as keyof typeof datasets]);
      expectClose(sampleMean(m), c.mean, 1e-14);
      expectClose(sampleSd(m), c.sd, 1e-12);
    }
  });

  describe('properties', () => {
    it('moments of the parts merge to the moments of the whole (any split)', () => {
      fc.assert(
        fc.property(fc.array(fc.array(real, { maxLength: 20 }), { maxLength: 6 }), (parts) => {
          const whole = momentsOf(parts.flat());
          expectMomentsClose(mergeMoments(...parts.map(momentsOf)), whole);
        }),
        { numRuns: 500 },
      );
    });

    it('folding addObservation equals momentsOf', () => {
      fc.assert(
        fc.property(fc.array(real, { maxLength: 40 }), (xs) => {
          expectMomentsClose(
            xs.reduce((m, x) => addObservation(m, x), emptyMoments()),
            momentsOf(xs),
          );
        }),
      );
    });

    it('merge is commutative and associative', () => {
      fc.assert(
        fc.property(scores(), scores(), scores(), (a, b, c) => {
          const [ma, mb, mc] = [momentsOf(a), momentsOf(b), momentsOf(c)];
          expectMomentsClose(mergeMoments(ma, mb), mergeMoments(mb, ma));
          expectMomentsClose(mergeMoments(mergeMoments(ma, mb), mc), mergeMoments(ma, mergeMoments(mb, mc)));
        }),
      );
    });

    it('sampleVariance from sums agrees with the two-pass variance and is never negative', () => {
      fc.assert(
        fc.property(scores(2), (xs) => {
          const v = sampleVariance(momentsOf(xs));
          expect(v).toBeGreaterThanOrEqual(0);
          expectClose(v, twoPassVariance(xs), 1e-9, 1e-12);
        }),
        { numRuns: 500 },
      );
    });

    it('variance is shift-invariant and scales with the square', () => {
      fc.assert(
        fc.property(
          scores(2, 30),
          fc.integer({ min: -5, max: 5 }),
          fc.integer({ min: 1, max: 4 }),
          (xs, c, s) => {
            const base = sampleVariance(momentsOf(xs));
            expectClose(sampleVariance(momentsOf(xs.map((x) => x + c))), base, 1e-9, 1e-10);
            expectClose(sampleVariance(momentsOf(xs.map((x) => x * s))), base * s * s, 1e-9, 1e-10);
          },
        ),
      );
    });
  });
});
