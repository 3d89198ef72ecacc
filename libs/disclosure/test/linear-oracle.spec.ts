import fc from 'fast-check';
import { RowSpace, indicator } from './linear-oracle';

describe('RowSpace (exact elimination used as the disclosure oracle)', () => {
  it('a + b and b determine a', () => {
    const s = new RowSpace();
    s.add(indicator([0, 1]));
    s.add(indicator([1]));
    expect(s.contains(indicator([0]))).toBe(true);
    expect(s.rank).toBe(2);
  });

  it('a + b + c and a determine b + c but not b', () => {
    const s = new RowSpace();
    s.add(indicator([0, 1, 2]));
    s.add(indicator([0]));
    expect(s.contains(indicator([1, 2]))).toBe(true);
    expect(s.contains(indicator([1]))).toBe(false);
    expect(s.contains(indicator([2]))).toBe(false);
  });

  it('overlapping, non-nested sums: a+b, b+c, a+c determine each of a, b, c (needs halving)', () => {
    const s = new RowSpace();
    s.add(indicator([0, 1]));
    s.add(indicator([1, 2]));
    s.add(indicator([0, 2]));
    expect(s.contains(indicator([0]))).toBe(true);
    expect(s.contains(indicator([2]))).toBe(true);
  });

  it('property: agrees with the rank of a dense rational elimination on small random systems', () => {
    const rankOf = (rows: number[][]): number => {
      const m = rows.map((r) => r.map((v) => v));
      let rank = 0;
      const cols = m[0]?.length ?? 0;
      for (let c = 0; c < cols && rank < m.length; c++) {
        const p = m.findIndex((r, i) => i >= rank && Math.abs(r[c]!) > 1e-9);
        if (p === -1) continue;
        [m[rank], m[p]] = [m[p]!, m[rank]!];
        for (let i = 0; i < m.length; i++) {
          if (i === rank) continue;
          const f = m[i]![c]! / m[rank]![c]!;
          for (let j = 0; j < cols; j++) m[i]![j]! -= f * m[rank]![j]!;
        }
        rank++;
      }
      return rank;
    };
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (rows, target) => {
          const s = new RowSpace();
          const toIdx = (r: boolean[]) => r.flatMap((b, i) => (b ? [i] : []));
          rows.forEach((r) => s.add(indicator(toIdx(r))));
          const dense = rows.map((r) => r.map(Number));
          expect(s.rank).toBe(rankOf(dense));
          expect(s.contains(indicator(toIdx(target)))).toBe(
            rankOf([...dense, target.map(Number)]) === rankOf(dense),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
