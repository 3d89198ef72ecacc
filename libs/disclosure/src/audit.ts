/**
 * The auditor behind the release gate: exact linear algebra over the cycles' sufficient statistics
 * (DESIGN.md, anonymity point 5; docs/statistics.md, "The release gate").
 *
 * Every released number is a sum over a set of closed team-cycles of their sufficient statistics
 * (n, Σx, Σx², … per dimension; every released cell publishes all of them over the same set). So
 * what everything ever released determines is the row space of a 0/1 matrix: one row per released
 * cell, one column per cycle. A cycle's n is treated as public (its leads saw the live count while
 * it was open), so the auditor protects the value sums: no set S of cycles with 0 < n(S) < k(S)
 * may have its indicator vector in the row space, where k(S) is the largest k of its cycles.
 *
 * Cycles released on their own (n ≥ their k) and empty cycles (n = 0, nothing to hide) are known:
 * they are eliminated from every row. The remaining "hidden" cycles (0 < n < k) are the columns.
 * The auditor keeps the reduced row echelon form of the released rows over those columns (exact
 * rationals; every basis row has a 1 at its pivot column and 0 at every other pivot column), so
 * that a vector v of the row space is Σ v[p]·row_p over the pivot columns p. A candidate row is
 * added tentatively; if the new row space contains a 0/1 vector v of a protected set that the old
 * one did not, the candidate is refused and the basis restored.
 *
 * The search for such a v is a depth-first enumeration of sets P of basis rows (v = Σ_{p∈P} row_p,
 * so v has a 1 exactly at the pivots in P), pruned by n: v ⊇ P's pivots, so n(v) ≥ Σ_{p∈P} n(p), and
 * a set with n ≥ the largest k of any hidden cycle is never protected. At each step it branches only
 * over rows that a valid completion must contain: rows with a non-zero entry at the first column
 * where the running sum is not 0 or 1; or, when the sum is a 0/1 vector that is not protected, rows
 * that can lower its n (a negative entry where the sum is 1) or raise its k (a positive entry at a
 * cycle with a larger k). A new v must use the new row or a row the new row changed, so only those
 * start the search. Deciding uses only the structure and the counts, never an answer value, so a
 * refusal itself reveals nothing (simulatable auditing).
 *
 * Exactness has a price only in pathological cases: arithmetic stays on safe integers (an overflow
 * throws AuditLimitError) and the search has a node budget (exceeding it throws AuditLimitError).
 * Callers treat both as "not provably safe" and refuse the cell: the gate fails closed.
 */
import { assertCount, assertK } from './threshold';

export interface AuditCycle {
  /** Responses in the cycle. */
  n: number;
  /** The cycle's threshold, frozen when it opened. */
  k: number;
}

/** The auditor could not decide exactly within its limits; the caller must refuse the cell. */
export class AuditLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditLimitError';
  }
}

/** A set of cycles whose sums the released rows would determine although 0 < n < k. */
export interface AuditFinding {
  cycles: string[];
  n: number;
  k: number;
}

export const DEFAULT_SEARCH_BUDGET = 200_000;

// ------------------------------------------------------------------ exact rationals

/** p/q with q > 0 and gcd(p, q) = 1, both safe integers. */
interface Q {
  p: number;
  q: number;
}

const ONE: Q = { p: 1, q: 1 };

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function checked(x: number): number {
  if (!Number.isSafeInteger(x)) throw new AuditLimitError('exact arithmetic left the safe-integer range');
  return x;
}

function q(p: number, d: number): Q {
  if (d < 0) [p, d] = [-p, -d];
  const g = gcd(p, d) || 1;
  return { p: checked(p / g), q: checked(d / g) };
}

const add = (a: Q, b: Q): Q => q(checked(a.p * b.q) + checked(b.p * a.q), checked(a.q * b.q));
const mul = (a: Q, b: Q): Q => q(checked(a.p * b.p), checked(a.q * b.q));
const neg = (a: Q): Q => ({ p: -a.p, q: a.q });
const inv = (a: Q): Q => q(a.q, a.p);

type Row = Map<number, Q>;

/** row += factor · other (in place), dropping zeros. */
function addScaled(row: Row, other: Row, factor: Q): void {
  for (const [c, v] of other) {
    const current = row.get(c);
    const next = current ? add(current, mul(factor, v)) : mul(factor, v);
    if (next.p === 0) row.delete(c);
    else row.set(c, next);
  }
}

// ------------------------------------------------------------------ the auditor

export class LedgerAuditor {
  private readonly column = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly n: number[] = [];
  private readonly k: number[] = [];
  /** Basis rows by pivot column. */
  private readonly basis = new Map<number, Row>();
  /** For every column, the pivots of the basis rows with a non-zero entry there. */
  private readonly rowsAt = new Map<number, Set<number>>();
  private maxK = 0;

  /**
   * @param facts n and k of every cycle a row may mention; a row naming an unknown cycle throws.
   * @param budget search nodes per check before giving up (AuditLimitError).
   */
  constructor(
    private readonly facts: (cycleId: string) => AuditCycle | undefined,
    private readonly budget = DEFAULT_SEARCH_BUDGET,
  ) {}

  /** The number of independent released rows over hidden cycles. */
  get rank(): number {
    return this.basis.size;
  }

  /** Whether a cycle is known on its own: released (n ≥ k) or empty (n = 0). */
  isKnown(cycleId: string): boolean {
    const f = this.fact(cycleId);
    return f.n === 0 || f.n >= f.k;
  }

  /** The cycles of a set that are neither released on their own nor empty. */
  hiddenPart(cycles: readonly string[]): string[] {
    return [...new Set(cycles)].filter((id) => !this.isKnown(id)).sort();
  }

  /**
   * Adds a row released earlier (it was checked then), without checking it again. Rows must be
   * given in their release order only for speed; the row space does not depend on it.
   */
  addReleased(cycles: readonly string[]): void {
    const row = this.rowOf(this.hiddenPart(cycles));
    if (row.size > 0) this.insert(row);
  }

  /**
   * Checks a candidate row against everything added so far. Returns null and keeps the row when
   * releasing it determines no protected set; otherwise restores the basis and returns the set it
   * would reveal. Throws AuditLimitError when it cannot decide within its limits (the basis is
   * restored first).
   */
  tryRelease(cycles: readonly string[]): AuditFinding | null {
    const hidden = this.hiddenPart(cycles);
    if (hidden.length === 0) return null;
    const row = this.rowOf(hidden);
    const fresh = hidden.every((id) => (this.rowsAt.get(this.column.get(id)!)?.size ?? 0) === 0);
    if (fresh) {
      // Nothing released touches these cycles: every new vector is this row plus one of the old
      // row space, on other columns, so its support holds the whole row — the only new minimal
      // support is the row itself.
      const n = hidden.reduce((s, id) => s + this.fact(id).n, 0);
      const k = Math.max(...hidden.map((id) => this.fact(id).k));
      if (n < k) return { cycles: hidden, n, k };
      this.insert(row);
      return null;
    }
    const undo = this.insert(row);
    if (!undo) return null; // already in the row space: releasing it adds nothing
    try {
      const found = this.search(undo.roots);
      if (found) {
        this.restore(undo);
        return found;
      }
      return null;
    } catch (e) {
      this.restore(undo);
      throw e;
    }
  }

  // ---------------------------------------------------------------- internals

  private fact(cycleId: string): AuditCycle {
    const f = this.facts(cycleId);
    if (!f) throw new RangeError(`no facts for cycle ${cycleId}`);
    assertCount(f.n, `n of cycle ${cycleId}`);
    assertK(f.k);
    return f;
  }

  private columnOf(id: string): number {
    let c = this.column.get(id);
    if (c === undefined) {
      const f = this.fact(id);
      c = this.ids.length;
      this.column.set(id, c);
      this.ids.push(id);
      this.n.push(f.n);
      this.k.push(f.k);
      this.maxK = Math.max(this.maxK, f.k);
    }
    return c;
  }

  private rowOf(hidden: readonly string[]): Row {
    const row: Row = new Map();
    for (const id of hidden) row.set(this.columnOf(id), ONE);
    return row;
  }

  private setRow(pivot: number, row: Row | undefined): void {
    const old = this.basis.get(pivot);
    if (old) for (const c of old.keys()) this.rowsAt.get(c)?.delete(pivot);
    if (row) {
      this.basis.set(pivot, row);
      for (const c of row.keys()) {
        let set = this.rowsAt.get(c);
        if (!set) this.rowsAt.set(c, (set = new Set()));
        set.add(pivot);
      }
    } else this.basis.delete(pivot);
  }

  /**
   * Reduces the row against the basis and, unless it is in the span, adds it and eliminates its
   * pivot from the other rows. Returns what `restore` needs, and the rows a new vector must use.
   */
  private insert(row: Row): { pivot: number; changed: Map<number, Row>; roots: number[] } | null {
    const r = new Map(row);
    for (const c of [...r.keys()]) {
      const b = this.basis.get(c);
      const coef = r.get(c);
      if (b && coef) addScaled(r, b, neg(coef));
    }
    if (r.size === 0) return null;
    const pivot = Math.min(...r.keys());
    const scale = inv(r.get(pivot)!);
    for (const [c, v] of r) r.set(c, mul(v, scale));
    // Every changed row is computed before any is written, so an overflow leaves the basis intact.
    const changed = new Map<number, Row>();
    const updates: [number, Row][] = [];
    for (const other of this.rowsAt.get(pivot) ?? []) {
      const b = this.basis.get(other)!;
      const next = new Map(b);
      addScaled(next, r, neg(b.get(pivot)!));
      changed.set(other, b);
      updates.push([other, next]);
    }
    for (const [other, next] of updates) this.setRow(other, next);
    this.setRow(pivot, r);
    return { pivot, changed, roots: [pivot, ...changed.keys()] };
  }

  private restore(undo: { pivot: number; changed: Map<number, Row> }): void {
    this.setRow(undo.pivot, undefined);
    for (const [p, row] of undo.changed) this.setRow(p, row);
  }

  /**
   * A vector of the row space that the new row brought, whose support is a protected set (n below
   * the largest k of the set), or null.
   *
   * It suffices to look at minimal supports (the circuits of the row space): every vector's support
   * is a union of minimal ones, and the minimal one holding the support's strictest cycle has
   * fewer responses than that cycle's k as well. A vector is Σ α_p · row_p over the basis rows P it
   * uses (α_p = its entry at pivot p), and its support is P's pivots and the free columns the
   * combination does not cancel. The search enumerates P, starting from a row a new vector must
   * use, pruned by n (pivots and columns kept are in the support, and nothing with n ≥ the largest
   * k of any hidden cycle is protected):
   * - a free column that only one row of P has cannot cancel: it is kept in the support, or a row
   *   that has it joins P;
   * - when every free column is shared, the coefficients are searched (`circuitsOf`) for
   *   combinations whose uncancelled columns fit the budget, and rows sharing a column may join P.
   */
  private search(roots: number[]): AuditFinding | null {
    const limit = this.maxK;
    const seen = new Set<string>();
    let budget = this.budget;
    interface Node {
      rows: number[];
      /** Free columns kept in the support. */
      kept: number[];
      /** Σ n over pivots and kept columns: a lower bound of n of every support reached from here. */
      used: number;
    }
    const stack: Node[] = [];
    const push = (rows: number[], kept: number[], used: number) => {
      if (used >= limit) return;
      const key = `${[...rows].sort((a, b) => a - b).join(',')}|${[...kept].sort((a, b) => a - b).join(',')}`;
      if (seen.has(key)) return;
      seen.add(key);
      stack.push({ rows, kept, used });
    };
    for (const p of roots) push([p], [], this.n[p]!);

    while (stack.length > 0) {
      const node = stack.pop()!;
      if (--budget < 0) throw new AuditLimitError('the disclosure search exceeded its budget');
      const spare = limit - 1 - node.used;
      // How many rows of P have each free column.
      const count = new Map<number, number>();
      for (const p of node.rows)
        for (const c of this.basis.get(p)!.keys()) if (c !== p) count.set(c, (count.get(c) ?? 0) + 1);
      const kept = new Set(node.kept);
      let lonely = -1;
      for (const [c, times] of count) {
        if (times === 1 && !kept.has(c) && (lonely === -1 || c < lonely)) lonely = c;
      }
      if (lonely !== -1) {
        if (this.n[lonely]! <= spare) push(node.rows, [...node.kept, lonely], node.used + this.n[lonely]!);
        for (const q of this.rowsAt.get(lonely) ?? []) {
          if (q !== lonely && !node.rows.includes(q) && this.basis.has(q))
            push([...node.rows, q], node.kept, node.used + this.n[q]!);
        }
        continue;
      }
      for (const v of this.circuitsOf(node.rows, kept, spare, () => --budget)) {
        let n = 0;
        let k = 0;
        for (const c of v.keys()) {
          n += this.n[c]!;
          k = Math.max(k, this.k[c]!);
        }
        if (n > 0 && n < k) return { cycles: [...v.keys()].map((c) => this.ids[c]!).sort(), n, k };
      }
      // Rows that share a column with P may cancel what P alone cannot.
      const next = new Set<number>();
      for (const c of count.keys())
        for (const q of this.rowsAt.get(c) ?? []) if (q !== c && this.basis.has(q)) next.add(q);
      for (const q of next)
        if (!node.rows.includes(q)) push([...node.rows, q], node.kept, node.used + this.n[q]!);
    }
    return null;
  }

  /**
   * The vectors Σ α_p · row_p (p in `rows`, every α_p ≠ 0, unique up to scale) whose free columns
   * other than `kept` are cancelled, except columns worth at most `spare` responses. Walks the free
   * columns in order: each one not yet cancelled by every allowed α is either cancelled (the
   * allowed α lose a dimension) or kept (it costs its n). A leaf with one allowed direction left
   * is a candidate minimal vector.
   */
  private *circuitsOf(rows: number[], kept: Set<number>, spare: number, tick: () => number): Generator<Row> {
    const basisRows = rows.map((p) => this.basis.get(p)!);
    const columns = [...new Set(basisRows.flatMap((r) => [...r.keys()]))]
      .filter((c) => !rows.includes(c) && !kept.has(c))
      .sort((a, b) => a - b);
    const dot = (alpha: Q[], c: number): Q => {
      let s: Q = { p: 0, q: 1 };
      basisRows.forEach((r, i) => {
        const v = r.get(c);
        if (v && alpha[i]!.p !== 0) s = add(s, mul(alpha[i]!, v));
      });
      return s;
    };
    const identity = rows.map((_, i) => rows.map((__, j) => (i === j ? ONE : { p: 0, q: 1 })));
    const n = this.n;
    function* walk(allowed: Q[][], at: number, left: number): Generator<Row> {
      if (tick() < 0) throw new AuditLimitError('the disclosure search exceeded its budget');
      if (at === columns.length) {
        if (allowed.length !== 1) return;
        const alpha = allowed[0]!;
        if (alpha.some((a) => a.p === 0)) return; // a smaller set of rows gives this vector
        const v: Row = new Map();
        basisRows.forEach((r, i) => addScaled(v, r, alpha[i]!));
        yield v;
        return;
      }
      const c = columns[at]!;
      const dots = allowed.map((a) => dot(a, c));
      const pivot = dots.findIndex((d) => d.p !== 0);
      if (pivot === -1) {
        yield* walk(allowed, at + 1, left);
        return;
      }
      if (allowed.length > 1) {
        // Cancel column c: keep the combinations of the allowed directions orthogonal to it.
        const next: Q[][] = [];
        allowed.forEach((a, i) => {
          if (i === pivot) return;
          const f = neg(mul(dots[i]!, inv(dots[pivot]!)));
          next.push(a.map((x, j) => add(x, mul(f, allowed[pivot]![j]!))));
        });
        yield* walk(next, at + 1, left);
      }
      if (n[c]! <= left) yield* walk(allowed, at + 1, left - n[c]!);
    }
    yield* walk(identity, 0, spare);
  }
}
