import fc from 'fast-check';
import { cronbachAlpha, emptyMoments, momentsOf, sumMomentsFromMean, type Moments } from '@candor/stats';
import { expectClose } from './helpers';
import { alphaCases } from './reference/values';

/** Item moments (one per column) and total-score moments (row sums) of a response × item matrix. */
function fromRows(rows: readonly (readonly number[])[]): { items: Moments[]; total: Moments } {
  const k = rows[0]?.length ?? 0;
  const items = Array.from({ length: k }, (_, j) => momentsOf(rows.map((r) => r[j]!)));
  const total = momentsOf(rows.map((r) => r.reduce((s, x) => s + x, 0)));
  return { items, total };
}

describe('cronbachAlpha', () => {
  it.each(alphaCases)(
    '$name matches the numpy reference (variance formula = Hoyt ANOVA)',
    ({ rows, alpha }) => {
      // Source: generate_reference.py computes α from the raw matrix twice with numpy — textbook
      // variance formula and Hoyt's ANOVA — and asserts they agree (no package here provides α).
      const { items, total } = fromRows(rows);
      expectClose(cronbachAlpha(items, total)!, alpha, 1e-10);
    },
  );

  it('a textbook example: three items, five respondents', () => {
    // Item variances 2.5, 1.7, 1.3; total variance 15.8 → α = 1.5 · (1 − 5.5/15.8) = 0.97785…
    // python3 -c "import numpy as np; m=np.array([[1,2,2],[2,2,3],[3,3,3],[4,4,4],[5,5,5]],float);
    //   print(m.var(axis=0,ddof=1), m.sum(axis=1).var(ddof=1))"  → [2.5 1.7 1.3] 15.8
    const rows = [
      [1, 2, 2],
      [2, 2, 3],
      [3, 3, 3],
      [4, 4, 4],
      [5, 5, 5],
    ];
    const { items, total } = fromRows(rows);
    expectClose(cronbachAlpha(items, total)!, 1.5 * (1 - 5.5 / 15.8), 1e-12);
  });

  it('perfectly parallel items give α = 1', () => {
    const { items, total } = fromRows([
      [1, 1, 1],
      [4, 4, 4],
      [6, 6, 6],
    ]);
    expectClose(cronbachAlpha(items, total)!, 1, 1e-12);
  });

  it('null when k < 2, n < 2 or the total has no spread', () => {
    expect(cronbachAlpha([momentsOf([1, 2, 3])], momentsOf([1, 2, 3]))).toBeNull();
    expect(cronbachAlpha([], emptyMoments())).toBeNull();
    const one = fromRows([[3, 4]]);
    expect(cronbachAlpha(one.items, one.total)).toBeNull();
    const flat = fromRows([
      [1, 7],
      [7, 1],
      [4, 4],
    ]);
    expect(cronbachAlpha(flat.items, flat.total)).toBeNull();
  });

  it('rejects a total that is not the per-response sum of the items, or a different n', () => {
    const { items, total } = fromRows([
      [1, 2, 3],
      [4, 4, 5],
      [2, 6, 7],
    ]);
    const meanScore = { n: total.n, sum: total.sum / 3, sumSq: total.sumSq / 9 };
    expect(() => cronbachAlpha(items, meanScore)).toThrow(/sum of the item sums/);
    expect(() => cronbachAlpha(items, { ...total, n: 4 })).toThrow(RangeError);
  });

  it('property: α ≤ 1, and α is invariant to shifting an item', () => {
    const matrix = fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 2, max: 30 })).chain(([k, n]) =>
      fc.array(fc.array(fc.integer({ min: 1, max: 7 }), { minLength: k, maxLength: k }), {
        minLength: n,
        maxLength: n,
      }),
    );
    fc.assert(
      fc.property(matrix, fc.integer({ min: -3, max: 3 }), (rows, shift) => {
        const { items, total } = fromRows(rows);
        const a = cronbachAlpha(items, total);
        if (a === null) return;
        expect(a).toBeLessThanOrEqual(1 + 1e-12);
        const shifted = fromRows(rows.map((r) => r.map((x, j) => (j === 0 ? x + shift : x))));
        expectClose(cronbachAlpha(shifted.items, shifted.total)!, a, 1e-9, 1e-9);
      }),
      { numRuns: 500 },
    );
  });

  it('a subscale total from the moments of its per-response mean gives the same α as from the sums', () => {
    // Self-orientation items so1–so3 of the first 8 responses of the numpy reference in
    // apps/api/test/reliability-scales.e2e-spec.ts.
    const rows = [
      [4, 4, 4],
      [3, 2, 4],
      [5, 5, 6],
      [4, 3, 4],
      [6, 7, 4],
      [3, 3, 2],
      [5, 6, 5],
      [2, 3, 3],
    ];
    const { items, total } = fromRows(rows);
    const mean = momentsOf(rows.map((r) => r.reduce((s, x) => s + x, 0) / 3));
    const fromMean = sumMomentsFromMean(mean, 3);
    expect(fromMean.n).toBe(8);
    expectClose(fromMean.sum, total.sum, 1e-12);
    expectClose(fromMean.sumSq, total.sumSq, 1e-12);
    expectClose(cronbachAlpha(items, fromMean)!, cronbachAlpha(items, total)!, 1e-12);
    // A mean passed as if it were the total is still caught.
    expect(() => cronbachAlpha(items, mean)).toThrow(/sum of the item sums/);
    expect(() => sumMomentsFromMean(mean, 0)).toThrow(RangeError);
    expect(() => sumMomentsFromMean(mean, 1.5)).toThrow(RangeError);
  });
});
