/**
 * Exact test of linear determinability, for the suppression property tests.
 *
 * A released cell publishes Σ over its teams of the team counts: one linear equation over the
 * unknown team counts. A suppressed cell's count is "determined" when its indicator vector (1 for
 * each of its teams) lies in the row space of the released equations: some linear combination of
 * published numbers equals it, whatever the unknowns are.
 *
 * RowSpace keeps a fully reduced echelon basis of sparse integer rows (no basis row contains
 * another's pivot column) and eliminates fraction-free (row ← a·row − b·basis, divided by the gcd),
 * so every step is exact integer arithmetic; each entry is checked to stay a safe integer. It knows
 * nothing about trees: it is a plain Gaussian elimination over the rationals.
 */
export type SparseRow = Map<number, number>;

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function normalise(row: SparseRow): void {
  let g = 0;
  for (const v of row.values()) g = gcd(g, v);
  if (g > 1) for (const [c, v] of row) row.set(c, v / g);
}

/** row ← a·row − b·other (in place), dropping zeros. */
function combine(row: SparseRow, a: number, other: SparseRow, b: number): void {
  if (a !== 1) for (const [c, v] of row) row.set(c, a * v);
  for (const [c, v] of other) {
    const next = (row.get(c) ?? 0) - b * v;
    if (!Number.isSafeInteger(next)) throw new Error('integer overflow in elimination');
    if (next === 0) row.delete(c);
    else row.set(c, next);
  }
  normalise(row);
}

export class RowSpace {
  private readonly basis = new Map<number, SparseRow>();

  get rank(): number {
    return this.basis.size;
  }

  /** The row reduced against the basis (a copy); empty iff the row is in the span. */
  reduce(row: SparseRow): SparseRow {
    const r = new Map(row);
    for (const p of [...r.keys()]) {
      const b = this.basis.get(p);
      const coef = r.get(p);
      if (!b || coef === undefined) continue;
      combine(r, b.get(p)!, b, coef);
    }
    return r;
  }

  add(row: SparseRow): void {
    const r = this.reduce(row);
    if (r.size === 0) return;
    const p = Math.min(...r.keys());
    for (const [q, b] of this.basis) {
      const coef = b.get(p);
      if (coef !== undefined) {
        combine(b, r.get(p)!, r, coef);
        if (!b.has(q)) throw new Error('internal: pivot eliminated');
      }
    }
    this.basis.set(p, r);
  }

  /** The basis rows by pivot column (each row is integer, with a non-zero entry at its pivot). */
  entries(): [number, SparseRow][] {
    return [...this.basis.entries()];
  }

  contains(row: SparseRow): boolean {
    return this.reduce(row).size === 0;
  }
}

export function indicator(columns: Iterable<number>): SparseRow {
  const row: SparseRow = new Map();
  for (const c of columns) row.set(c, 1);
  return row;
}
