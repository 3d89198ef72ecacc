import type { GateCycle } from '@candor/disclosure';
import { RowSpace, indicator, type SparseRow } from './linear-oracle';

/**
 * The independent oracle of the disclosure tests. Every released cell publishes n, Σx, Σx², … of
 * the same set of cycles, so each is a 0/1 equation over the cycles' unknown sums, for every
 * statistic at once. Whatever vector v lies in the row space of those equations, the released
 * numbers give v·Σx and v·Σx² — and for cycles of one answer, x_a − x_b and x_a² − x_b² give both
 * answers. So a set S of cycles is exposed when some non-zero vector of the row space is supported
 * exactly on S and n(S) < k(S) (the largest k in S).
 *
 * It suffices to look at minimal supports (circuits): S is a circuit when some vector is supported
 * inside S and none inside a smaller part of it. With the released rows in echelon form (plain
 * Gaussian elimination, linear-oracle.ts), a vector is supported inside S exactly when the columns
 * of S in a basis of the null space are linearly dependent. The oracle enumerates every set of
 * hidden cycles (0 < n < k; known cycles — released alone or empty — are public and dropped) with n
 * below the largest k, inside each connected component of the released cells, and tests each one.
 */
export function protectedSetsDetermined(
  facts: Map<string, GateCycle>,
  released: readonly (readonly string[])[],
): string[][] {
  const isHidden = (id: string) => {
    const f = facts.get(id)!;
    return f.n > 0 && f.n < f.k;
  };
  const hidden = [...new Set(released.flat())].filter(isHidden).sort();
  const col = new Map(hidden.map((id, i) => [id, i]));
  const space = new RowSpace();
  for (const cell of released) {
    const row = indicator(cell.filter(isHidden).map((id) => col.get(id)!));
    if (row.size > 0) space.add(row);
  }
  // Null-space columns: a free column is a unit vector of its own; a pivot column p is −row_p on
  // the free columns (up to the scale of row_p's pivot entry, which does not change any rank).
  const basis = new Map(space.entries());
  const nullColumn = (c: number): SparseRow => {
    const row = basis.get(c);
    if (!row) return new Map([[c, 1]]);
    const out: SparseRow = new Map();
    for (const [f, v] of row) if (f !== c) out.set(f, -v);
    return out;
  };
  const dependent = (set: number[]): boolean => {
    const s = new RowSpace();
    for (const c of set) s.add(nullColumn(c));
    return s.rank < set.length;
  };

  // Connected components of the released cells over hidden cycles.
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const cell of released) {
    const hs = cell.filter(isHidden).map((id) => col.get(id)!);
    for (const h of hs) if (!parent.has(h)) parent.set(h, h);
    for (const h of hs.slice(1)) parent.set(find(h), find(hs[0]!));
  }
  const components = new Map<number, number[]>();
  for (const h of [...parent.keys()].sort((a, b) => a - b))
    components.set(find(h), [...(components.get(find(h)) ?? []), h]);

  const found: string[][] = [];
  for (const members of components.values()) {
    const f = (c: number) => facts.get(hidden[c]!)!;
    const maxK = Math.max(...members.map((c) => f(c).k));
    const walk = (start: number, chosen: number[], n: number, k: number) => {
      if (
        chosen.length > 0 &&
        n < k &&
        dependent(chosen) &&
        chosen.every((_, i) => !dependent(chosen.filter((__, j) => j !== i)))
      )
        found.push(chosen.map((c) => hidden[c]!));
      for (let i = start; i < members.length; i++) {
        const c = members[i]!;
        if (n + f(c).n >= maxK) continue;
        walk(i + 1, [...chosen, c], n + f(c).n, Math.max(k, f(c).k));
      }
    };
    walk(0, [], 0, 0);
  }
  return found;
}
