import type { GateCycle } from '@candor/disclosure';
import { RowSpace, type SparseRow } from './linear-oracle';

/**
 * A stricter oracle than `protectedSetsDetermined` (oracle.ts), for the red-team review of the
 * release gate: it asks whether the released equations determine ANY linear combination — not only
 * a 0/1 sum — that involves only a protected set of cycles (0 < n < k, k the largest k in the set).
 *
 * Why 0/1 sums are not enough: every released cell publishes n, Σx and Σx² (and more) over the same
 * cycles. If the row space holds a − b for two hidden cycles of one answer each, the attacker learns
 * x_a − x_b and x_a² − x_b², so x_a + x_b = (x_a² − x_b²) / (x_a − x_b) and both answers are known;
 * if one of the two answers is a colluding lead's own, the difference alone gives the other. A set
 * S is exposed when some non-zero vector of the row space is supported inside S ∪ known cycles.
 *
 * Test: with B the released rows over hidden cycles (known cycles dropped: they are public), a
 * non-zero vector yᵀB supported inside S exists iff rank(B without the columns of S) < rank(B).
 * Plain Gaussian elimination (RowSpace), every subset of hidden cycles with n below the largest k.
 */
export function protectedSupportsExposed(
  facts: Map<string, GateCycle>,
  released: readonly (readonly string[])[],
): string[][] {
  const isHidden = (id: string) => {
    const f = facts.get(id)!;
    return f.n > 0 && f.n < f.k;
  };
  const hidden = [...new Set(released.flat())].filter(isHidden).sort();
  const col = new Map(hidden.map((id, i) => [id, i]));
  const rows = released.map((cell) => cell.filter(isHidden).map((id) => col.get(id)!));
  const rankWithout = (excluded: Set<number>): number => {
    const space = new RowSpace();
    for (const row of rows) {
      const r: SparseRow = new Map();
      for (const c of row) if (!excluded.has(c)) r.set(c, 1);
      if (r.size > 0) space.add(r);
    }
    return space.rank;
  };
  const full = rankWithout(new Set());
  const maxK = Math.max(0, ...hidden.map((id) => facts.get(id)!.k));
  const found: string[][] = [];
  const walk = (start: number, chosen: number[], n: number, k: number) => {
    if (chosen.length > 0 && n < k && rankWithout(new Set(chosen)) < full) {
      found.push(chosen.map((c) => hidden[c]!));
      return; // a superset of an exposed set is exposed too
    }
    for (let i = start; i < hidden.length; i++) {
      const f = facts.get(hidden[i]!)!;
      if (n + f.n >= maxK) continue;
      walk(i + 1, [...chosen, i], n + f.n, Math.max(k, f.k));
    }
  };
  walk(0, [], 0, 0);
  // Minimal sets only, so that a failure names the smallest sets exposed.
  return found.filter(
    (set) => !found.some((o) => o.length < set.length && o.every((id) => set.includes(id))),
  );
}
