import { assertCount, assertK, type Released } from './threshold';

/**
 * A node of the org tree for one cycle: the root group, its subgroups and, as leaves, teams. `n`
 * is the number of responses; a parent's n must equal the sum of its children's n.
 */
export interface DisclosureNode {
  id: string;
  n: number;
  children?: DisclosureNode[];
}

export interface Decision {
  released: boolean;
  /** Why a node is suppressed: its own n < k, or to protect another cell. */
  reason?: 'below-k' | 'complementary';
}

interface Cell {
  id: string;
  n: number;
  parent: number;
  children: number[];
  released: boolean;
  reason?: 'below-k' | 'complementary';
  /**
   * Responses under this node that no released node inside its subtree (itself excluded)
   * accounts for: n for a leaf; for an inner node the sum over its children of 0 (released child)
   * or the child's own `hidden` (suppressed child). For a released node this is what a reader
   * learns by subtracting every released descendant from it; for a suppressed node, the part of
   * it that is not a sum of released cells.
   */
  hidden: number;
}

/**
 * Decide which nodes of an org tree may be released under threshold k, so that no suppressed
 * count — and therefore no suppressed sum Σx or Σx², which are added up over the same cells — can
 * be derived from the released ones (DESIGN.md, anonymity points 4 and 5).
 *
 * What a reader can derive. Released nodes are linear equations over the unknown team counts.
 * Subtracting every released descendant from a released node u leaves the total of its
 * "hidden region": the responses under u not under any released node below u (`hidden` above).
 * Hidden regions of different released nodes are disjoint, and they are all that can be learned:
 * a suppressed node is derivable exactly when it is a union of released cells and hidden regions.
 * Teams with n = 0 hide nothing and protect nothing: we assume a reader knows they are empty.
 *
 * Rules, applied bottom-up (children before parents):
 *  1. Primary: every node with n < k is suppressed ('below-k').
 *  2. A released inner node u must have a hidden region of 0 responses, or of at least k
 *     responses spread over at least two of its children. (Over one child c only, c would be
 *     u minus its released siblings.) This generalises "the suppressed children of a released
 *     parent hide 0 or ≥ k responses" to regions reached through several levels: a released
 *     parent minus its released children minus the released teams of a suppressed subgroup.
 *     While the rule fails, the released child of u with the smallest n (ties: smallest id) is
 *     suppressed ('complementary'). If u has no released child left, u itself is suppressed
 *     ('complementary'), which moves its hidden region into its parent's (a safety net: with
 *     consistent counts, one suppressed child always repairs the rule).
 *  3. A suppressed node with n > 0 must keep some hidden responses of its own; otherwise it is the
 *     sum of its released children (a suppressed subgroup whose teams are all released). Its
 *     released child with the smallest n (ties: smallest id) is suppressed ('complementary'), and
 *     rule 3 applies again to that child.
 *
 * Suppressing a node changes the hidden region of the nearest released ancestor only, which is
 * the node being processed or one not yet processed, so one bottom-up pass reaches the fixpoint:
 * afterwards every released node has n ≥ k, rules 2 and 3 hold everywhere, and no suppressed node
 * with n > 0 is a linear combination of released counts (checked exhaustively by Gaussian
 * elimination in the property tests). The result does not depend on the order of children.
 *
 * Throws RangeError when k < MIN_K, a count is not a non-negative integer, an id repeats, or a
 * parent's n differs from the sum of its children's n.
 */
export function suppressTree(root: DisclosureNode, k: number): Map<string, Decision> {
  assertK(k);
  const cells = flatten(root);

  // Primary suppression and the initial hidden totals (children come after parents in `cells`).
  for (const cell of cells) {
    cell.released = cell.n >= k;
    if (!cell.released) cell.reason = 'below-k';
  }
  for (let i = cells.length - 1; i >= 0; i--) {
    const cell = cells[i]!;
    cell.hidden =
      cell.children.length === 0
        ? cell.n
        : cell.children.reduce((s, c) => s + (cells[c]!.released ? 0 : cells[c]!.hidden), 0);
  }

  const suppress = (i: number): void => {
    const cell = cells[i]!;
    cell.released = false;
    cell.reason = 'complementary';
    // The cell's hidden responses now count towards its suppressed ancestors and the nearest
    // released one.
    for (let p = cell.parent; p !== -1; p = cells[p]!.parent) {
      cells[p]!.hidden += cell.hidden;
      if (cells[p]!.released) break;
    }
  };

  const smallestReleasedChild = (i: number): number | undefined => {
    let best: number | undefined;
    for (const c of cells[i]!.children) {
      const child = cells[c]!;
      if (!child.released) continue;
      const b = best === undefined ? undefined : cells[best]!;
      if (!b || child.n < b.n || (child.n === b.n && child.id < b.id)) best = c;
    }
    return best;
  };

  // Rule 3: a suppressed node must not be the sum of released cells.
  const keepHidden = (i: number): void => {
    while (cells[i]!.n > 0 && cells[i]!.hidden === 0) {
      const c = smallestReleasedChild(i);
      if (c === undefined) throw new Error(`internal: suppressed node ${cells[i]!.id} cannot be protected`);
      suppress(c);
      keepHidden(c);
    }
  };

  const hiddenChildren = (i: number): number =>
    cells[i]!.children.filter((c) => !cells[c]!.released && cells[c]!.hidden > 0).length;

  for (let i = cells.length - 1; i >= 0; i--) {
    const cell = cells[i]!;
    if (!cell.released) {
      keepHidden(i);
      continue;
    }
    if (cell.children.length === 0) continue;
    // Rule 2.
    while (cell.hidden > 0 && (cell.hidden < k || hiddenChildren(i) < 2)) {
      const c = smallestReleasedChild(i);
      if (c === undefined) {
        suppress(i);
        break;
      }
      suppress(c);
      keepHidden(c);
    }
  }

  return new Map(
    cells.map((c) => [c.id, c.released ? { released: true } : { released: false, reason: c.reason! }]),
  );
}

/** Cells in pre-order (every parent before its children), validated. */
function flatten(root: DisclosureNode): Cell[] {
  const cells: Cell[] = [];
  const ids = new Set<string>();
  const stack: { node: DisclosureNode; parent: number }[] = [{ node: root, parent: -1 }];
  while (stack.length > 0) {
    const { node, parent } = stack.pop()!;
    assertCount(node.n, `n of node ${node.id}`);
    if (ids.has(node.id)) throw new RangeError(`duplicate node id ${node.id}`);
    ids.add(node.id);
    const index = cells.length;
    cells.push({ id: node.id, n: node.n, parent, children: [], released: false, hidden: 0 });
    if (parent !== -1) cells[parent]!.children.push(index);
    const children = node.children ?? [];
    if (children.length > 0) {
      const sum = children.reduce((s, c) => s + c.n, 0);
      if (sum !== node.n) {
        throw new RangeError(`node ${node.id} has n = ${node.n} but its children sum to ${sum}`);
      }
    }
    for (let c = children.length - 1; c >= 0; c--) stack.push({ node: children[c]!, parent: index });
  }
  return cells;
}

/**
 * Turn a suppressTree decision into a Released value: `value` is only computed when the node is
 * released and (if given) its cycle is closed. Throws when there is no decision for the node, so a
 * cell missing from the tree is never released by accident.
 */
export function releaseByDecision<T>(
  decision: Decision | undefined,
  value: () => T,
  opts: { cycleClosed?: boolean } = {},
): Released<T> {
  if (!decision) throw new Error('no disclosure decision for this cell');
  if (opts.cycleClosed === false) return { released: false, reason: 'open-cycle' };
  if (!decision.released) return { released: false, reason: decision.reason ?? 'below-k' };
  return { released: true, value: value() };
}
