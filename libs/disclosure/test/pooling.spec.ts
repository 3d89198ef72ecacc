import fc from 'fast-check';
import {
  MAX_POOL_SIZE,
  poolPartition,
  poolSize,
  ReleaseGate,
  type GateCycle,
  type PoolCycle,
} from '@candor/disclosure';
import { protectedSetsDetermined } from './oracle';

interface Cycle extends PoolCycle {
  id: string;
}

const cycle = (n: number, k = 5, invited = 6, closed = true): PoolCycle => ({ n, k, invited, closed });

const named = (cycles: PoolCycle[]): Cycle[] =>
  cycles.map((c, i) => ({ ...c, id: `c${String(i).padStart(2, '0')}` }));

const factsOf = (cycles: Cycle[]) =>
  new Map<string, GateCycle>(
    cycles.filter((c) => c.closed).map((c) => [c.id, { n: c.n, k: c.k, invited: c.invited, closed: true }]),
  );

/** A lead's pooled views over time: every complete block, decided by the gate in order. */
function releasedBlocks(cycles: Cycle[], gate: ReleaseGate): string[][] {
  const out: string[][] = [];
  for (const block of poolPartition(cycles).blocks) {
    const ids = block.cycles.map((c) => c.id);
    if (gate.decide({ key: ids.join('+'), cycles: ids }).released) out.push(ids);
  }
  return out;
}

const teamHistory = fc
  .record({
    invited: fc.integer({ min: 1, max: 12 }),
    k: fc.integer({ min: 3, max: 7 }),
    cycles: fc.array(
      fc.record({
        n: fc.integer({ min: 0, max: 12 }),
        k: fc.integer({ min: 3, max: 7 }),
        closed: fc.integer({ min: 0, max: 9 }).map((x) => x > 0), // 90 % closed
      }),
      { minLength: 1, maxLength: 40 },
    ),
  })
  .map(({ invited, k, cycles }) =>
    named(
      cycles.map((c, i) => ({
        // The first cycle's k and invited fix the team's block size.
        n: Math.min(c.n, invited),
        k: i === 0 ? k : c.k,
        invited,
        closed: c.closed,
      })),
    ),
  );

describe('pooling: one fixed partition per team', () => {
  it('block size: ⌈2k / invited⌉ between 2 and 12, from the first cycle only', () => {
    expect(poolSize({ k: 5, invited: 4 })).toBe(3);
    expect(poolSize({ k: 5, invited: 10 })).toBe(2);
    expect(poolSize({ k: 5, invited: 2 })).toBe(5);
    expect(poolSize({ k: 7, invited: 1 })).toBe(MAX_POOL_SIZE);
    expect(poolSize({ k: 5, invited: 0 })).toBe(10);
    expect(() => poolSize({ k: 2, invited: 4 })).toThrow(RangeError);
    const p = poolPartition([cycle(3, 5, 4), cycle(3, 5, 40), cycle(3, 5, 40), cycle(2, 5, 40)]);
    expect(p.size).toBe(3);
    expect(p.blocks).toHaveLength(1);
    expect(p.pendingCycles).toBe(1);
  });

  it('a complete block carries its n and the largest k of its cycles; the gate decides it', () => {
    const cycles = named([cycle(3), cycle(3), cycle(6), cycle(2), cycle(4), cycle(1), cycle(2), cycle(2, 7)]);
    const p = poolPartition(cycles);
    expect(p.size).toBe(2);
    expect(p.blocks.map((b) => [b.n, b.k])).toEqual([
      [6, 5],
      [8, 5],
      [5, 5],
      [4, 7],
    ]);
    const gate = new ReleaseGate((id) => factsOf(cycles).get(id), []);
    expect(p.blocks.map((b) => gate.decide({ key: '', cycles: b.cycles.map((c) => c.id) }))).toEqual([
      { released: true, fromLedger: true }, // 3 + 3 hidden: the pair is 6 ≥ k
      { released: false, reason: 'would-reveal', fromLedger: true }, // minus the released 6 leaves the 2
      { released: true, fromLedger: true }, // 4 + 1 hidden, 5 ≥ k
      { released: false, reason: 'below-k', fromLedger: false },
    ]);
  });

  it('an open cycle keeps its block undecided; the blocks after it are decided in place', () => {
    const p = poolPartition([cycle(3), cycle(3), cycle(0, 5, 6, false), cycle(3), cycle(4), cycle(4)]);
    expect(p.blocks.map((b) => b.cycles.map((c) => c.n))).toEqual([
      [3, 3],
      [4, 4],
    ]);
    expect(p.pendingCycles).toBe(1);
  });

  it('property: per-cycle cells and pools, released through the gate, determine no small set (5,000 histories)', () => {
    fc.assert(
      fc.property(teamHistory, (cycles) => {
        const facts = factsOf(cycles);
        const gate = new ReleaseGate((id) => facts.get(id), []);
        const released = releasedBlocks(cycles, gate);
        for (const ids of released) {
          expect(ids.reduce((s, id) => s + facts.get(id)!.n, 0)).toBeGreaterThanOrEqual(
            Math.max(...ids.map((id) => facts.get(id)!.k)),
          );
        }
        expect(protectedSetsDetermined(facts, released)).toEqual([]);
      }),
      { numRuns: 5_000 },
    );
  });

  it('property: the partition only grows — closing more cycles never changes a complete block', () => {
    fc.assert(
      fc.property(teamHistory, fc.integer({ min: 0, max: 40 }), (cycles, cut) => {
        const earlier = poolPartition(cycles.slice(0, Math.min(cut, cycles.length)));
        const later = poolPartition(cycles);
        if (earlier.blocks.length > 0) expect(later.size).toBe(earlier.size);
        earlier.blocks.forEach((b, i) => expect(later.blocks[i]!.cycles).toEqual(b.cycles));
      }),
      { numRuns: 2_000 },
    );
  });

  it('why one partition: blocks of two sizes over the same cycles would reveal a cycle, so the gate refuses the second', () => {
    // Three cycles of 3 at k = 5: blocks of 2 give c1 + c2, blocks of 3 give c1 + c2 + c3.
    const cycles = named([cycle(3), cycle(3), cycle(3)]);
    const facts = factsOf(cycles);
    expect(
      protectedSetsDetermined(facts, [
        ['c00', 'c01'],
        ['c00', 'c01', 'c02'],
      ]),
    ).toEqual([['c02']]);
    const gate = new ReleaseGate((id) => facts.get(id), []);
    expect(gate.decide({ key: 'two', cycles: ['c00', 'c01'] }).released).toBe(true);
    expect(gate.decide({ key: 'three', cycles: ['c00', 'c01', 'c02'] })).toMatchObject({
      released: false,
      reason: 'would-reveal',
    });
  });
});
