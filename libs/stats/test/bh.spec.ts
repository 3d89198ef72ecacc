import fc from 'fast-check';
import { benjaminiHochberg } from '@candor/stats';
import { expectClose } from './helpers';
import { bhCases } from './reference/values';

describe('benjaminiHochberg', () => {
  it.each(bhCases)('matches scipy false_discovery_control and statsmodels multipletests (q = $q)', (c) => {
    // Source: adjusted = scipy.stats.false_discovery_control(p, method='bh'); rejected =
    // statsmodels multipletests(p, alpha=q, method='fdr_bh'); both via generate_reference.py.
    const r = benjaminiHochberg(c.p, c.q);
    c.adjusted.forEach((a, i) => expectClose(r.adjusted[i]!, a, 1e-14, 1e-16));
    expect(r.rejected).toEqual(c.rejected);
  });

  it('Benjamini & Hochberg (1995) example: 4 discoveries at q = 0.05', () => {
    const p = [
      0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528,
      0.759, 1,
    ];
    expect(benjaminiHochberg(p, 0.05).rejected.filter(Boolean)).toHaveLength(4);
  });

  it('defaults to q = 0.10', () => {
    const p = [0.01, 0.04, 0.06, 0.5];
    // adjusted: 0.04, 0.08, 0.08, 0.5 → three rejected at 0.10, one at 0.05
    expect(benjaminiHochberg(p).rejected).toEqual([true, true, true, false]);
    expect(benjaminiHochberg(p, 0.05).rejected).toEqual([true, false, false, false]);
  });

  it('empty input', () => {
    expect(benjaminiHochberg([])).toEqual({ adjusted: [], rejected: [] });
  });

  it('rejects p-values outside [0, 1] and q outside (0, 1)', () => {
    expect(() => benjaminiHochberg([0.1, NaN])).toThrow(RangeError);
    expect(() => benjaminiHochberg([1.2])).toThrow(RangeError);
    expect(() => benjaminiHochberg([-0.1])).toThrow(RangeError);
    expect(() => benjaminiHochberg([0.1], 0)).toThrow(RangeError);
    expect(() => benjaminiHochberg([0.1], 1)).toThrow(RangeError);
  });

  describe('properties', () => {
    const pValues = fc.array(
      fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.01, 0.05, 1)),
      { maxLength: 40 },
    );
    const q = fc.double({ min: 0.001, max: 0.5, noNaN: true });

    it('adjusted p: ≥ raw p, ≤ 1, monotone in raw p; output in input order', () => {
      fc.assert(
        fc.property(pValues, q, (p, level) => {
          const { adjusted, rejected } = benjaminiHochberg(p, level);
          expect(adjusted).toHaveLength(p.length);
          expect(rejected).toHaveLength(p.length);
          p.forEach((pi, i) => {
            expect(adjusted[i]).toBeGreaterThanOrEqual(pi);
            expect(adjusted[i]).toBeLessThanOrEqual(1);
            p.forEach((pj, j) => {
              if (pi <= pj) expect(adjusted[i]).toBeLessThanOrEqual(adjusted[j]!);
            });
          });
        }),
        { numRuns: 500 },
      );
    });

    it('rejections are exactly the step-up set: all p ≤ the largest p₍ⱼ₎ with p₍ⱼ₎ ≤ j·q/m', () => {
      fc.assert(
        fc.property(pValues, q, (p, level) => {
          const m = p.length;
          const sorted = [...p].sort((a, b) => a - b);
          let cutoff = -1;
          sorted.forEach((pj, j) => {
            if (pj <= ((j + 1) * level) / m) cutoff = pj;
          });
          const { rejected } = benjaminiHochberg(p, level);
          // Compare away from the boundary, where float rounding of m·p/j vs j·q/m may differ.
          p.forEach((pi, i) => {
            if (Math.abs(pi - cutoff) > 1e-12) expect(rejected[i]).toBe(pi <= cutoff);
          });
        }),
        { numRuns: 500 },
      );
    });

    it('a larger q never rejects fewer (the rejection sets are nested)', () => {
      fc.assert(
        fc.property(pValues, q, q, (p, q1, q2) => {
          const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
          const a = benjaminiHochberg(p, lo).rejected;
          const b = benjaminiHochberg(p, hi).rejected;
          a.forEach((r, i) => {
            if (r) expect(b[i]).toBe(true);
          });
        }),
      );
    });

    it('rejects at least what Bonferroni rejects, and is permutation-equivariant', () => {
      fc.assert(
        fc.property(
          pValues.chain((p) =>
            fc.tuple(
              fc.constant(p),
              fc.shuffledSubarray(
                p.map((_, i) => i),
                { minLength: p.length },
              ),
            ),
          ),
          q,
          ([p, perm], level) => {
            const r = benjaminiHochberg(p, level);
            p.forEach((pi, i) => {
              if (pi * p.length <= level) expect(r.rejected[i]).toBe(true);
            });
            const shuffled = benjaminiHochberg(
              perm.map((i) => p[i]!),
              level,
            );
            perm.forEach((orig, k) => {
              expect(shuffled.adjusted[k]).toBe(r.adjusted[orig]);
              expect(shuffled.rejected[k]).toBe(r.rejected[orig]);
            });
          },
        ),
      );
    });
  });
});
