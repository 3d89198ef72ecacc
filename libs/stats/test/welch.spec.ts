import fc from 'fast-check';
import { changeBetween, minimumDetectableChange, momentsOf, tQuantile, welchTest } from '@candor/stats';
import { expectClose, scores } from './helpers';
import { datasets, welchCases } from './reference/values';

const data = (name: string) => momentsOf(datasets[name as keyof typeof datasets]);

describe('welchTest', () => {
  it.each(welchCases)('$previous → $current matches scipy ttest_ind(equal_var=False)', (c) => {
    // Source: scipy.stats.ttest_ind(current, previous, equal_var=False) via generate_reference.py,
    // cross-checked with statsmodels weightstats.ttest_ind(usevar='unequal').
    const w = welchTest(data(c.previous), data(c.current))!;
    expectClose(w.delta, c.delta, 1e-12, 1e-14);
    expectClose(w.se, c.se, 1e-10);
    expectClose(w.t, c.t, 1e-10);
    expectClose(w.df, c.df, 1e-10);
    expectClose(w.p, c.p, 1e-9);
  });

  it('null when either side has fewer than two responses', () => {
    expect(welchTest(momentsOf([4]), momentsOf([1, 2, 3]))).toBeNull();
    expect(welchTest(momentsOf([1, 2, 3]), momentsOf([]))).toBeNull();
  });

  it('zero variance on one side: df = n − 1 of the other side', () => {
    const w = welchTest(momentsOf([4, 4, 4]), momentsOf([3, 5, 6, 4]))!;
    expectClose(w.df, 3, 1e-12);
    expect(w.se).toBeGreaterThan(0);
  });

  it('zero variance on both sides: certain change (p = 0) unless the means are equal (p = 1)', () => {
    expect(welchTest(momentsOf([4, 4, 4]), momentsOf([5, 5]))).toEqual({
      delta: 1,
      se: 0,
      t: Infinity,
      df: 3,
      p: 0,
    });
    expect(welchTest(momentsOf([5, 5, 5]), momentsOf([4, 4]))).toMatchObject({ t: -Infinity, p: 0 });
    expect(welchTest(momentsOf([4, 4, 4]), momentsOf([4, 4]))).toEqual({
      delta: 0,
      se: 0,
      t: 0,
      df: 3,
      p: 1,
    });
  });

  it('equal constant samples whose means differ only by rounding are no change', () => {
    const a = momentsOf(Array.from({ length: 7 }, () => 13 / 3));
    const b = momentsOf(Array.from({ length: 30 }, () => 13 / 3));
    expect(b.sum / b.n - a.sum / a.n).not.toBe(0); // −1.8e-15: rounding, not a change
    expect(welchTest(a, b)).toMatchObject({ delta: 0, p: 1 });
    expect(changeBetween(a, b)).toMatchObject({ significant: false, direction: 'none' });
    // The noise grows with n: 100,000 answers of 6.1 average to 6.1 + 1.2e-11.
    const big = momentsOf(Array.from({ length: 100_000 }, () => 6.1));
    expect(welchTest(momentsOf([6.1, 6.1]), big)).toMatchObject({ delta: 0, p: 1 });
    // A real difference between constant samples is still a certain change.
    expect(welchTest(momentsOf([6.1, 6.1]), momentsOf([6.2, 6.2]))).toMatchObject({ p: 0, t: Infinity });
  });

  describe('properties', () => {
    it('swapping the cycles negates delta and t and keeps se, df and p', () => {
      fc.assert(
        fc.property(scores(2, 40), scores(2, 40), (a, b) => {
          const ab = welchTest(momentsOf(a), momentsOf(b))!;
          const ba = welchTest(momentsOf(b), momentsOf(a))!;
          expectClose(ba.delta, -ab.delta, 1e-12, 1e-12);
          expect(ba.p).toBeCloseTo(ab.p, 12);
          expect(ba.se).toBeCloseTo(ab.se, 12);
          expect(ab.p).toBeGreaterThanOrEqual(0);
          expect(ab.p).toBeLessThanOrEqual(1);
        }),
        { numRuns: 300 },
      );
    });

    it('df lies between min(n₁, n₂) − 1 and n₁ + n₂ − 2', () => {
      fc.assert(
        fc.property(scores(2, 40), scores(2, 40), (a, b) => {
          const w = welchTest(momentsOf(a), momentsOf(b))!;
          expect(w.df).toBeGreaterThanOrEqual(Math.min(a.length, b.length) - 1 - 1e-9);
          expect(w.df).toBeLessThanOrEqual(a.length + b.length - 2 + 1e-9);
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('minimumDetectableChange', () => {
  it.each(welchCases)('$previous → $current matches scipy t.ppf on the Welch se and df', (c) => {
    // Source: (scipy t.ppf(1 − α/2, df) + t.ppf(power, df)) · se via generate_reference.py.
    expectClose(minimumDetectableChange(data(c.previous), data(c.current))!, c.mdc_005_08, 1e-10);
    expectClose(
      minimumDetectableChange(data(c.previous), data(c.current), { alpha: 0.1, power: 0.9 })!,
      c.mdc_01_09,
      1e-10,
    );
  });

  it('null like welchTest; 0 with no spread', () => {
    expect(minimumDetectableChange(momentsOf([1]), momentsOf([1, 2]))).toBeNull();
    expect(minimumDetectableChange(momentsOf([4, 4]), momentsOf([5, 5]))).toBe(0);
  });

  it('rejects invalid alpha and power', () => {
    const m = momentsOf([1, 2, 3]);
    expect(() => minimumDetectableChange(m, m, { alpha: 0 })).toThrow(RangeError);
    expect(() => minimumDetectableChange(m, m, { power: 1 })).toThrow(RangeError);
  });
});

describe('changeBetween', () => {
  it('flags a large, clear change with its direction', () => {
    const prev = momentsOf([3, 3.5, 4, 3, 3.5, 4, 3.5, 3]);
    const cur = momentsOf([5.5, 6, 5, 6, 5.5, 6, 5, 5.5]);
    const c = changeBetween(prev, cur)!;
    expect(c.significant).toBe(true);
    expect(c.direction).toBe('up');
    expect(c.p).toBeLessThan(0.05);
    expect(c.delta).toBeGreaterThanOrEqual(c.mdc);
    expect(changeBetween(cur, prev)!.direction).toBe('down');
  });

  it('p < α but |delta| below the MDC is not flagged', () => {
    // team6 → team12 with α = 0.1: p = 0.0647 < 0.1. With power 0.8 the MDC (2.33) exceeds the delta (1.5).
    const w = welchTest(data('team6'), data('team12'))!;
    expect(w.p).toBeLessThan(0.1);
    const c = changeBetween(data('team6'), data('team12'), { alpha: 0.1 })!;
    expect(Math.abs(c.delta)).toBeLessThan(c.mdc);
    expect(c).toMatchObject({ significant: false, direction: 'none' });
  });

  it('p ≥ α is never flagged, even when power < 0.5 puts the MDC below the critical difference', () => {
    const c = changeBetween(data('team12'), data('org40'), { power: 0.2 })!;
    expect(c.p).toBeGreaterThan(0.05);
    expect(c).toMatchObject({ significant: false, direction: 'none' });
  });

  it('no change at all is none', () => {
    expect(changeBetween(momentsOf([4, 4]), momentsOf([4, 4, 4]))).toMatchObject({
      delta: 0,
      p: 1,
      significant: false,
      direction: 'none',
    });
    expect(changeBetween(momentsOf([4]), momentsOf([4, 4, 4]))).toBeNull();
  });

  it('every answer moved with no spread on either side: flagged', () => {
    expect(changeBetween(momentsOf([4, 4, 4]), momentsOf([5, 5]))).toMatchObject({
      p: 0,
      mdc: 0,
      significant: true,
      direction: 'up',
    });
  });

  it('property: significant ⇔ p < α and |delta| ≥ MDC; direction follows the sign', () => {
    fc.assert(
      fc.property(
        scores(2, 40),
        scores(2, 40),
        fc.constantFrom(0.01, 0.05, 0.1),
        fc.constantFrom(0.3, 0.8, 0.9),
        (a, b, alpha, power) => {
          const c = changeBetween(momentsOf(a), momentsOf(b), { alpha, power })!;
          expect(c.significant).toBe(c.p < alpha && Math.abs(c.delta) >= c.mdc);
          expect(c.direction).toBe(!c.significant ? 'none' : c.delta > 0 ? 'up' : 'down');
          const w = welchTest(momentsOf(a), momentsOf(b))!;
          if (w.se > 0) {
            expectClose(c.mdc, (tQuantile(1 - alpha / 2, w.df) + tQuantile(power, w.df)) * w.se, 1e-12);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
