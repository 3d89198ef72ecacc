import fc from 'fast-check';
import {
  isReleasable,
  MAX_POOL_SIZE,
  poolPartition,
  poolSize,
  type PoolCycle,
  type PoolPartition,
} from '@candor/disclosure';
import { RowSpace, indicator } from './linear-oracle';

const cycle = (n: number, k = 5, invited = 6, closed = true): PoolCycle => ({ n, k, invited, closed });

/**
 * What a lead can combine: every released per-cycle cell (n ≥ its k), every released pooled
 * block, and — since a lead saw each cycle's live response count while it was open — the fact
 * that a cycle with n = 0 contributes nothing. Each is a linear equation over the cycles' unknown
 * sums (Σx, Σx², … are released over exactly the same cells, so the same equations govern them).
 * Returns the indices of suppressed cycles with answers (0 < n < k) that these equations determine.
 */
function determined(cycles: PoolCycle[], partitions: PoolPartition<PoolCycle>[]): number[] {
  const space = new RowSpace();
  cycles.forEach((c, i) => {
    if (c.closed && (c.n === 0 || isReleasable(c.n, c.k))) space.add(indicator([i]));
  });
  for (const p of partitions) {
    for (const block of p.blocks) {
      if (block.decision.released) space.add(indicator(block.cycles.map((_, j) => block.start + j)));
    }
  }
  return cycles
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.closed && c.n > 0 && !isReleasable(c.n, c.k))
    .filter(({ i }) => space.contains(indicator([i])))
    .map(({ i }) => i);
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
    cycles.map((c, i) => ({
      // The first cycle's k and invited fix the team's block size.
      n: Math.min(c.n, invited),
      k: i === 0 ? k : c.k,
      invited,
      closed: c.closed,
    })),
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

  it('releases a complete block when n ≥ k and what it hides is 0 or ≥ k over two or more cycles', () => {
    const p = poolPartition([cycle(3), cycle(3), cycle(6), cycle(2), cycle(4), cycle(1), cycle(2), cycle(2)]);
    expect(p.size).toBe(2);
    expect(p.blocks.map((b) => [b.n, b.decision])).toEqual([
      [6, { released: true }], // 3 + 3 hidden over two cycles
      [8, { released: false, reason: 'complementary' }], // the released 6 taken away leaves the 2
      [5, { released: true }], // 4 + 1 hidden over two cycles, 5 ≥ k
      [4, { released: false, reason: 'below-k' }],
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

  it('property: no released per-cycle or pooled cell, combined in any way, determines a suppressed cycle (10,000 histories)', () => {
    fc.assert(
      fc.property(teamHistory, (cycles) => {
        const partition = poolPartition(cycles);
        for (const b of partition.blocks) {
          if (b.decision.released) expect(b.n).toBeGreaterThanOrEqual(b.k);
        }
        expect(determined(cycles, [partition])).toEqual([]);
      }),
      { numRuns: 10_000 },
    );
  });

  it('property: the partition only grows — closing more cycles never changes a decided block', () => {
    fc.assert(
      fc.property(teamHistory, fc.integer({ min: 0, max: 40 }), (cycles, cut) => {
        const earlier = poolPartition(cycles.slice(0, Math.min(cut, cycles.length)));
        const later = poolPartition(cycles);
        if (earlier.blocks.length > 0) expect(later.size).toBe(earlier.size);
        earlier.blocks.forEach((b, i) => {
          expect(later.blocks[i]!.cycles).toEqual(b.cycles);
          expect(later.blocks[i]!.decision).toEqual(b.decision);
        });
        // Over time: every block ever released, from every moment, together still determines nothing.
        expect(determined(cycles, [earlier, later])).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });

  it('the oracle has teeth: blocks of two sizes over the same cycles (the old request-chosen size) reveal a cycle', () => {
    // Three cycles of 3 at k = 5: blocks of 2 release c1 + c2, blocks of 3 release c1 + c2 + c3.
    const withFirst = (invited: number) => [cycle(3, 5, invited), cycle(3), cycle(3)];
    const two = poolPartition(withFirst(5));
    const three = poolPartition(withFirst(4));
    expect([two.size, three.size]).toEqual([2, 3]);
    expect(two.blocks[0]!.decision.released).toBe(true);
    expect(three.blocks[0]!.decision.released).toBe(true);
    expect(determined(withFirst(5), [two])).toEqual([]);
    expect(determined(withFirst(5), [three])).toEqual([]);
    expect(determined(withFirst(5), [two, three])).toEqual([2]);
  });
});
