import fc from 'fast-check';
import { AuditLimitError, LedgerAuditor, ReleaseGate, type GateCycle } from '@candor/disclosure';
import { protectedSetsDetermined } from './oracle';

const facts = (list: [string, number, number][]): Map<string, GateCycle> =>
  new Map(list.map(([id, n, k]) => [id, { n, k, invited: 12, closed: true }]));

describe('LedgerAuditor', () => {
  it('refuses a group that is one released team plus one hidden team', () => {
    const f = facts([
      ['a', 12, 5],
      ['b', 2, 5],
    ]);
    const gate = new ReleaseGate((id) => f.get(id), []);
    expect(gate.decide({ key: 'g', cycles: ['a', 'b'] })).toMatchObject({
      released: false,
      reason: 'would-reveal',
    });
  });

  it('releases a group whose hidden teams together reach k, then refuses the subgroup that isolates one', () => {
    const f = facts([
      ['t1', 12, 5],
      ['t2', 2, 5],
      ['t4', 3, 5],
      ['t5', 10, 5],
    ]);
    const gate = new ReleaseGate((id) => f.get(id), []);
    expect(gate.decide({ key: 'G', cycles: ['t1', 't2', 't4', 't5'] }).released).toBe(true);
    // Subgroup S = t4 + t5: S − t5 = t4 (n = 3 < 5).
    expect(gate.decide({ key: 'S', cycles: ['t4', 't5'] })).toMatchObject({
      released: false,
      reason: 'would-reveal',
    });
    // The sibling set t1 + t2 (n = 14) gives t2 = (t1 + t2) − t1: refused as well.
    expect(gate.decide({ key: 'T', cycles: ['t1', 't2'] }).released).toBe(false);
  });

  it('finds a set of two small cycles determined through two months and a pool (channel 3)', () => {
    // Month 1 group = a1 + b1 + c1, month 2 group = a2 + b2 + c2; the lead of a and b sees their
    // pools a1 + a2 and b1 + b2. Together: c1 + c2 = (m1 + m2) − pool a − pool b.
    const f = facts([
      ['a1', 3, 5],
      ['a2', 3, 5],
      ['b1', 3, 5],
      ['b2', 3, 5],
      ['c1', 2, 5],
      ['c2', 2, 5],
    ]);
    const gate = new ReleaseGate((id) => f.get(id), []);
    expect(gate.decide({ key: 'm1', cycles: ['a1', 'b1', 'c1'] }).released).toBe(true);
    expect(gate.decide({ key: 'm2', cycles: ['a2', 'b2', 'c2'] }).released).toBe(true);
    expect(gate.decide({ key: 'pa', cycles: ['a1', 'a2'] }).released).toBe(true);
    // c1 + c2 has n = 4 < 5: the second pool must be refused.
    expect(gate.decide({ key: 'pb', cycles: ['b1', 'b2'] })).toMatchObject({
      released: false,
      reason: 'would-reveal',
    });
  });

  it('uses the largest k of a set: a small cycle with a strict k cannot be diluted below its own k', () => {
    const f = facts([
      ['x', 4, 5],
      ['y', 4, 10],
      ['z', 20, 5],
    ]);
    const gate = new ReleaseGate((id) => f.get(id), []);
    // x + y has n = 8 ≥ 5 but < 10 (y's k): determined by (x + y + z) − z.
    expect(gate.decide({ key: 'g', cycles: ['x', 'y', 'z'] }).released).toBe(false);
  });

  it('releases a cell already in the span without growing the rank', () => {
    const f = facts([
      ['a', 3, 5],
      ['b', 3, 5],
    ]);
    const gate = new ReleaseGate((id) => f.get(id), [['a', 'b']]);
    expect(gate.rank).toBe(1);
    expect(gate.decide({ key: 'again', cycles: ['b', 'a'] }).released).toBe(true);
    expect(gate.rank).toBe(1);
  });

  it('fails closed when the search budget runs out, and leaves the ledger as it was', () => {
    const f = facts([
      ['a', 4, 7],
      ['b', 4, 7],
      ['c', 4, 7],
    ]);
    // With a budget of one node the search cannot look at both rows the candidate touches.
    const auditor = new LedgerAuditor((id) => f.get(id), 1);
    auditor.addReleased(['a', 'b']);
    expect(() => auditor.tryRelease(['b', 'c'])).toThrow(AuditLimitError);
    expect(auditor.rank).toBe(1);
    // With room to search, the same candidate is safe (every set it reveals has n ≥ 7).
    const roomy = new LedgerAuditor((id) => f.get(id));
    roomy.addReleased(['a', 'b']);
    expect(roomy.tryRelease(['b', 'c'])).toBeNull();
    expect(roomy.rank).toBe(2);
  });

  it('the rules of the gate before the ledger: period, open cycle, k', () => {
    const f = new Map<string, GateCycle>([
      ['open', { n: 9, k: 5, invited: 12, closed: false }],
      ['small', { n: 4, k: 5, invited: 12, closed: true }],
      ['big', { n: 9, k: 5, invited: 12, closed: true }],
      ['empty', { n: 0, k: 5, invited: 12, closed: true }],
    ]);
    const gate = new ReleaseGate((id) => f.get(id), []);
    expect(gate.decide({ key: 'p', cycles: ['big'], periodOpen: true })).toMatchObject({
      reason: 'period-open',
    });
    expect(gate.decide({ key: 'o', cycles: ['open', 'big'] })).toMatchObject({ reason: 'open-cycle' });
    expect(gate.decide({ key: 's', cycles: ['small'] })).toMatchObject({ reason: 'below-k' });
    expect(gate.decide({ key: 'e', cycles: ['empty'] })).toMatchObject({ reason: 'below-k' });
    expect(gate.decide({ key: 'b', cycles: ['big', 'empty'] })).toEqual({
      released: true,
      fromLedger: false,
    });
  });
});

/** Random cycles and random candidate cells: subsets, nested (tree-like) sets and runs (pools). */
const scenario = fc
  .record({
    cycles: fc.array(
      fc.record({ n: fc.integer({ min: 0, max: 9 }), k: fc.constantFrom(3, 4, 5, 5, 5, 6, 7) }),
      { minLength: 2, maxLength: 14 },
    ),
    cells: fc.array(
      fc.oneof(
        fc.array(fc.nat(13), { minLength: 1, maxLength: 8 }),
        fc
          .tuple(fc.nat(13), fc.integer({ min: 1, max: 6 }))
          .map(([s, len]) => Array.from({ length: len }, (_, i) => s + i)),
      ),
      { minLength: 1, maxLength: 14 },
    ),
  })
  .map(({ cycles, cells }) => {
    const f = new Map<string, GateCycle>();
    cycles.forEach((c, i) => f.set(`c${String(i).padStart(2, '0')}`, { ...c, invited: 12, closed: true }));
    const ids = [...f.keys()];
    return {
      facts: f,
      cells: cells
        .map((cell) => [...new Set(cell.filter((i) => i < ids.length).map((i) => ids[i]!))])
        .filter((cell) => cell.length > 0),
    };
  });

describe('ReleaseGate against the exhaustive oracle', () => {
  it('never lets the released cells determine a protected set, and refuses only cells that would', () => {
    fc.assert(
      fc.property(scenario, ({ facts: f, cells }) => {
        const gate = new ReleaseGate((id) => f.get(id), []);
        const released: string[][] = [];
        for (const cell of cells) {
          const d = gate.decide({ key: cell.join('+'), cycles: cell });
          if (d.released) {
            released.push(cell);
            expect(protectedSetsDetermined(f, released)).toEqual([]);
          } else if (d.reason === 'would-reveal') {
            // Exact both ways: a refused cell really would reveal a protected set.
            expect(protectedSetsDetermined(f, [...released, cell]).length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('decides from n, k and the structure only: the same cells in the same order, the same decisions', () => {
    fc.assert(
      fc.property(scenario, ({ facts: f, cells }) => {
        const once = new ReleaseGate((id) => f.get(id), []);
        const twice = new ReleaseGate((id) => f.get(id), []);
        const a = cells.map((c) => once.decide({ key: 'x', cycles: c }).released);
        const b = cells.map((c) => twice.decide({ key: 'x', cycles: [...c].reverse() }).released);
        expect(b).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });
});
