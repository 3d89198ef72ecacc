import fc from 'fast-check';
import { releaseByDecision, suppressTree, type Decision, type DisclosureNode } from '@candor/disclosure';
import { RowSpace, indicator } from './linear-oracle';

// ---------------------------------------------------------------------------------------------
// Helpers

const team = (id: string, n: number): DisclosureNode => ({ id, n });
const group = (id: string, children: DisclosureNode[]): DisclosureNode => ({
  id,
  n: children.reduce((s, c) => s + c.n, 0),
  children,
});

function walk(node: DisclosureNode, visit: (n: DisclosureNode) => void): void {
  visit(node);
  node.children?.forEach((c) => walk(c, visit));
}

/** The decisions as { released ids, suppressed id → reason } for readable expectations. */
function summary(decisions: Map<string, Decision>): {
  released: string[];
  suppressed: Record<string, string>;
} {
  const released: string[] = [];
  const suppressed: Record<string, string> = {};
  for (const [id, d] of decisions) {
    if (d.released) released.push(id);
    else suppressed[id] = d.reason!;
  }
  return { released: released.sort(), suppressed };
}

/** Leaf (team) column indices under each node. */
function leafColumns(root: DisclosureNode): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let next = 0;
  const visit = (node: DisclosureNode): number[] => {
    const cols = node.children?.length ? node.children.flatMap(visit) : [next++];
    out.set(node.id, cols);
    return cols;
  };
  visit(root);
  return out;
}

/**
 * Suppressed nodes with n > 0 whose count is a linear combination of the released counts.
 *
 * `zerosKnown` adds the equation "team = 0" for every team with no responses: a stronger reader
 * who knows which teams are empty. Without it (the plain system of released equations) a team
 * with n = 0 can itself be determined — e.g. a released parent equal to its only released child
 * reveals that a suppressed empty sibling is 0 — which reveals no answer, so nodes with n = 0 are
 * not asserted on. Every sum Σx, Σx² is released over exactly the same cells as n, so the same
 * equations with other right-hand sides govern them: the check covers them too.
 */
function derivable(root: DisclosureNode, decisions: Map<string, Decision>, zerosKnown: boolean): string[] {
  const columns = leafColumns(root);
  const space = new RowSpace();
  walk(root, (node) => {
    if (decisions.get(node.id)!.released) space.add(indicator(columns.get(node.id)!));
    else if (zerosKnown && node.n === 0 && !node.children?.length)
      space.add(indicator(columns.get(node.id)!));
  });
  const out: string[] = [];
  walk(root, (node) => {
    if (!decisions.get(node.id)!.released && node.n > 0 && space.contains(indicator(columns.get(node.id)!))) {
      out.push(node.id);
    }
  });
  return out;
}

/** Every node: n ≥ k when released; reason below-k exactly when n < k. */
function thresholdViolations(root: DisclosureNode, k: number, decisions: Map<string, Decision>): string[] {
  const out: string[] = [];
  walk(root, (node) => {
    const d = decisions.get(node.id);
    if (!d) out.push(`${node.id}: no decision`);
    else if (d.released && node.n < k) out.push(`${node.id}: released with n = ${node.n}`);
    else if (!d.released && (d.reason === 'below-k') !== node.n < k) out.push(`${node.id}: wrong reason`);
  });
  return out;
}

/** DESIGN.md point 5 as written: a released parent's suppressed children hide 0 or ≥ k responses. */
function designRuleViolations(root: DisclosureNode, k: number, decisions: Map<string, Decision>): string[] {
  const out: string[] = [];
  walk(root, (node) => {
    if (!node.children?.length || !decisions.get(node.id)!.released) return;
    const hidden = node.children.filter((c) => !decisions.get(c.id)!.released).reduce((s, c) => s + c.n, 0);
    if (hidden > 0 && hidden < k) out.push(`${node.id}: suppressed children hide ${hidden}`);
  });
  return out;
}

// Random org trees: depth 1–4, 1–6 children per inner node; teams of 0–15 people of whom 0–size answered.
const teamResponses = fc.integer({ min: 0, max: 15 }).chain((size) => fc.integer({ min: 0, max: size }));
type Shape = number | Shape[];
const shape = (levels: number): fc.Arbitrary<Shape> =>
  levels === 0
    ? teamResponses
    : fc.oneof(
        { weight: 1, arbitrary: teamResponses },
        { weight: 2, arbitrary: fc.array(shape(levels - 1), { minLength: 1, maxLength: 6 }) },
      );
const orgShape = fc
  .integer({ min: 1, max: 4 })
  .chain((depth) => fc.array(shape(depth - 1), { minLength: 1, maxLength: 6 }));

function build(s: Shape): DisclosureNode {
  let next = 0;
  const make = (x: Shape): DisclosureNode =>
    typeof x === 'number' ? team(`t${next++}`, x) : group(`g${next++}`, x.map(make));
  return make(s);
}
const orgTree = orgShape.map(build);
const kArb = fc.integer({ min: 3, max: 7 });

// ---------------------------------------------------------------------------------------------

describe('suppressTree', () => {
  describe('hand-made examples', () => {
    it('teams 10, 2, 12 at k = 5: 2 is below k, 10 is suppressed with it (hidden total 12)', () => {
      const tree = group('g', [team('a', 10), team('b', 2), team('c', 12)]);
      expect(summary(suppressTree(tree, 5))).toEqual({
        released: ['c', 'g'],
        suppressed: { a: 'complementary', b: 'below-k' },
      });
    });

    it('ties on n are broken by id', () => {
      const tree = group('g', [team('y', 10), team('x', 10), team('z', 2)]);
      expect(summary(suppressTree(tree, 5)).suppressed).toEqual({ x: 'complementary', z: 'below-k' });
    });

    it('no suppression needed when the hidden total is 0 or ≥ k over two children', () => {
      expect(summary(suppressTree(group('g', [team('a', 5), team('b', 9)]), 5)).released).toEqual([
        'a',
        'b',
        'g',
      ]);
      expect(summary(suppressTree(group('g', [team('a', 3), team('b', 4), team('c', 9)]), 5))).toEqual({
        released: ['c', 'g'],
        suppressed: { a: 'below-k', b: 'below-k' },
      });
    });

    it('an empty team hides nothing and protects nothing', () => {
      expect(summary(suppressTree(group('g', [team('a', 10), team('z', 0)]), 5))).toEqual({
        released: ['a', 'g'],
        suppressed: { z: 'below-k' },
      });
      // 3 hidden + an empty team: still 3 < 5, so a released team is suppressed as well.
      expect(summary(suppressTree(group('g', [team('a', 3), team('z', 0), team('c', 10)]), 5))).toEqual({
        released: ['g'],
        suppressed: { a: 'below-k', z: 'below-k', c: 'complementary' },
      });
    });

    it('a whole tree below k is suppressed', () => {
      expect(summary(suppressTree(group('g', [team('a', 2), team('b', 2)]), 5))).toEqual({
        released: [],
        suppressed: { g: 'below-k', a: 'below-k', b: 'below-k' },
      });
    });

    it('cross-level: a released subgroup protects its small team inside itself', () => {
      // g = A + B; A = A1 (5) + A2 (2). A2 < k. Without more, A2 = A − A1.
      const tree = group('g', [group('A', [team('A1', 5), team('A2', 2)]), team('B', 13)]);
      const d = suppressTree(tree, 5);
      expect(summary(d)).toEqual({
        released: ['A', 'B', 'g'],
        suppressed: { A1: 'complementary', A2: 'below-k' },
      });
      expect(derivable(tree, d, true)).toEqual([]);
    });

    it('a suppressed subgroup whose teams are all released is opened up, or it would be their sum', () => {
      // T (2) needs a partner under g; the smallest released child is subgroup G (12). But G = G1 + G2
      // with both teams released would make G, and so T = g − G, derivable: one of G's teams goes too.
      const tree = group('g', [group('G', [team('G1', 6), team('G2', 6)]), team('T', 2)]);
      const d = suppressTree(tree, 5);
      expect(summary(d)).toEqual({
        released: ['G2', 'g'],
        suppressed: { G: 'complementary', G1: 'complementary', T: 'below-k' },
      });
      expect(derivable(tree, d, true)).toEqual([]);
    });

    it('the hidden region counts only what released descendants do not cover', () => {
      // Suppressed children of g hide A (7) ≥ k, but A = A1 (5, released) + A2 (2): g − B − A1 = A2.
      // Here A is suppressed because it is the smallest partner for team C (3).
      const tree = group('g', [group('A', [team('A1', 5), team('A2', 2)]), team('B', 13), team('C', 3)]);
      const d = suppressTree(tree, 5);
      expect(derivable(tree, d, true)).toEqual([]);
      expect(designRuleViolations(tree, 5, d)).toEqual([]);
    });

    it('a chain of single children is released or suppressed together', () => {
      const chain = group('g', [group('G', [team('T', 8)])]);
      expect(summary(suppressTree(chain, 5)).released).toEqual(['G', 'T', 'g']);
      // With a small sibling, G is the partner; G = T would then make T (and g − T) derivable.
      const tree = group('g', [group('G', [team('T1', 10)]), team('T2', 2)]);
      expect(summary(suppressTree(tree, 5))).toEqual({
        released: ['g'],
        suppressed: { G: 'complementary', T1: 'complementary', T2: 'below-k' },
      });
    });

    it('suppression deep in the tree propagates up: the subgroup total is protected at every level', () => {
      const tree = group('org', [
        group('eng', [
          group('web', [team('w1', 6), team('w2', 1)]),
          group('api', [team('a1', 7), team('a2', 8)]),
        ]),
        group('ops', [team('o1', 9)]),
      ]);
      const d = suppressTree(tree, 5);
      expect(thresholdViolations(tree, 5, d)).toEqual([]);
      expect(designRuleViolations(tree, 5, d)).toEqual([]);
      expect(derivable(tree, d, true)).toEqual([]);
      expect(derivable(tree, d, false)).toEqual([]);
      expect(d.get('w2')).toEqual({ released: false, reason: 'below-k' });
      expect(d.get('org')).toEqual({ released: true });
    });

    it('a leaf-only root is one cell', () => {
      expect(summary(suppressTree(team('t', 5), 5)).released).toEqual(['t']);
      expect(summary(suppressTree(team('t', 4), 5)).suppressed).toEqual({ t: 'below-k' });
      expect(summary(suppressTree({ id: 't', n: 4, children: [] }, 3)).released).toEqual(['t']);
    });

    it('does not modify its input', () => {
      const tree = group('g', [team('a', 10), team('b', 2), team('c', 12)]);
      const copy = structuredClone(tree);
      suppressTree(tree, 5);
      expect(tree).toEqual(copy);
    });
  });

  describe('input validation (fails closed)', () => {
    it('rejects k below 3', () => {
      expect(() => suppressTree(team('t', 5), 2)).toThrow(RangeError);
    });

    it("rejects a parent whose n is not its children's sum", () => {
      expect(() => suppressTree({ id: 'g', n: 9, children: [team('a', 5), team('b', 5)] }, 5)).toThrow(
        /children sum to 10/,
      );
    });

    it('rejects duplicate ids and invalid counts', () => {
      expect(() => suppressTree(group('g', [team('a', 5), team('a', 5)]), 5)).toThrow(/duplicate/);
      expect(() => suppressTree(team('t', -1), 5)).toThrow(RangeError);
      expect(() => suppressTree(team('t', 1.5), 5)).toThrow(RangeError);
    });
  });

  describe('properties', () => {
    it('no released node below k, the design rule holds, and no suppressed count is derivable (10,000 trees)', () => {
      fc.assert(
        fc.property(orgTree, kArb, (tree, k) => {
          const d = suppressTree(tree, k);
          expect(thresholdViolations(tree, k, d)).toEqual([]);
          expect(designRuleViolations(tree, k, d)).toEqual([]);
          // The plain system of released equations, and a reader who also knows the empty teams.
          expect(derivable(tree, d, false)).toEqual([]);
          expect(derivable(tree, d, true)).toEqual([]);
        }),
        { numRuns: 10_000 },
      );
    });

    it('the same on full trees: 6 children at every level, depth 4 (1,296 teams, 1,555 nodes)', () => {
      const full = (levels: number): fc.Arbitrary<Shape> =>
        levels === 0 ? teamResponses : fc.array(full(levels - 1), { minLength: 6, maxLength: 6 });
      fc.assert(
        fc.property(full(4).map(build), kArb, (tree, k) => {
          const d = suppressTree(tree, k);
          expect(thresholdViolations(tree, k, d)).toEqual([]);
          expect(designRuleViolations(tree, k, d)).toEqual([]);
          expect(derivable(tree, d, false)).toEqual([]);
          expect(derivable(tree, d, true)).toEqual([]);
        }),
        { numRuns: 20 },
      );
    });

    it('decisions do not depend on the order of children', () => {
      const shuffled = (node: DisclosureNode, seed: number): DisclosureNode => {
        if (!node.children) return node;
        let s = seed;
        const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648), s / 2147483648);
        const children = node.children.map((c, i) => shuffled(c, seed + i + 1));
        for (let i = children.length - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          [children[i], children[j]] = [children[j]!, children[i]!];
        }
        return { ...node, children };
      };
      fc.assert(
        fc.property(orgTree, kArb, fc.nat(1_000_000), (tree, k, seed) => {
          expect(suppressTree(shuffled(tree, seed), k)).toEqual(suppressTree(tree, k));
        }),
        { numRuns: 1_000 },
      );
    });

    it('leaves of n = 0 change nothing: the same decisions for every other node without them', () => {
      // The group views rely on this: they give suppressTree only the teams with 0 < n < k.
      const withoutEmptyLeaves = (node: DisclosureNode): DisclosureNode =>
        node.children
          ? { ...node, children: node.children.filter((c) => c.children || c.n > 0).map(withoutEmptyLeaves) }
          : node;
      fc.assert(
        fc.property(orgTree, kArb, (tree, k) => {
          const full = suppressTree(tree, k);
          const pruned = suppressTree(withoutEmptyLeaves(tree), k);
          for (const [id, decision] of pruned) expect([id, full.get(id)]).toEqual([id, decision]);
          for (const [id, decision] of full) if (!pruned.has(id)) expect(decision.released).toBe(false);
        }),
        { numRuns: 2_000 },
      );
    });

    it('the oracle has teeth: the one-level rule alone leaves counts derivable', () => {
      // The rule of DESIGN.md point 5 applied per parent only, to a fixpoint, ignoring descendants.
      const oneLevel = (root: DisclosureNode, k: number): Map<string, Decision> => {
        const d = new Map<string, Decision>();
        walk(root, (n) =>
          d.set(n.id, n.n >= k ? { released: true } : { released: false, reason: 'below-k' }),
        );
        for (let changed = true; changed;) {
          changed = false;
          walk(root, (node) => {
            if (!node.children?.length || !d.get(node.id)!.released) return;
            const hidden = () =>
              node.children!.filter((c) => !d.get(c.id)!.released).reduce((s, c) => s + c.n, 0);
            while (hidden() > 0 && hidden() < k) {
              const next = node.children!.filter((c) => d.get(c.id)!.released).sort((a, b) => a.n - b.n)[0];
              d.set((next ?? node).id, { released: false, reason: 'complementary' });
              changed = true;
              if (!next) break;
            }
          });
        }
        return d;
      };
      const tree = group('g', [group('G', [team('G1', 6), team('G2', 6)]), team('T', 2)]);
      expect(derivable(tree, oneLevel(tree, 5), false)).toEqual(['G', 'T']);
      const result = fc.check(
        fc.property(orgTree, kArb, (t, k) => derivable(t, oneLevel(t, k), false).length === 0),
        { numRuns: 2_000 },
      );
      expect(result.failed).toBe(true);
    });
  });
});

describe('releaseByDecision', () => {
  it('releases only released, closed cells and never computes a suppressed value', () => {
    const value = jest.fn(() => 4.5);
    expect(releaseByDecision({ released: true }, value)).toEqual({ released: true, value: 4.5 });
    expect(releaseByDecision({ released: true }, value, { cycleClosed: false })).toEqual({
      released: false,
      reason: 'open-cycle',
    });
    expect(releaseByDecision({ released: false, reason: 'complementary' }, value)).toEqual({
      released: false,
      reason: 'complementary',
    });
    expect(value).toHaveBeenCalledTimes(1);
  });

  it('throws when a cell has no decision', () => {
    expect(() => releaseByDecision(undefined, () => 1)).toThrow(/no disclosure decision/);
  });
});
