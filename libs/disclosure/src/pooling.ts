/**
 * Pooling for small teams: a team whose single cycles fall below k may be shown pooled over
 * blocks of consecutive cycles. A team has ONE fixed partition per instrument, whatever is asked:
 *
 * - its cycles (open and closed) in the order of their scheduled close (closes_at, then id);
 * - blocks of `poolSize(first cycle)` consecutive cycles, counted from the first: the size depends
 *   only on the first cycle's k and invited count, both frozen when it opened, so it never changes;
 * - a block is complete, and may be shown, only once all its cycles are closed.
 *
 * Blocks are disjoint, and a new cycle always closes after every already-closed cycle (it is
 * created with closes_at in the future and a cycle closes when its closes_at has passed), so a
 * complete block never gains or loses a cycle. Whether a complete block is released is the release
 * gate's decision (gate.ts), against everything released before — not only the team's own cells.
 */
import { assertCount, assertK } from './threshold';

export const MIN_POOL_SIZE = 2;
export const MAX_POOL_SIZE = 12;

/**
 * Cycles per block for a team: enough that a block reaches k when half of the team answers each
 * time, i.e. ⌈2k / invited⌉, between 2 and 12 — from the team's first cycle of the instrument.
 */
export function poolSize(first: { k: number; invited: number }): number {
  assertK(first.k);
  assertCount(first.invited, 'invited');
  const size = Math.ceil((2 * first.k) / Math.max(1, first.invited));
  return Math.min(MAX_POOL_SIZE, Math.max(MIN_POOL_SIZE, size));
}

export interface PoolCycle {
  closed: boolean;
  /** Responses (known only once closed; ignored while open). */
  n: number;
  k: number;
  invited: number;
}

export interface PoolBlock<C extends PoolCycle> {
  /** Index of the block's first cycle in the team's ordered cycles. */
  start: number;
  cycles: C[];
  /** The largest k of its cycles. */
  k: number;
  n: number;
}

export interface PoolPartition<C extends PoolCycle> {
  size: number;
  /** Complete blocks (every cycle closed), in order. */
  blocks: PoolBlock<C>[];
  /** Closed cycles not in a complete block yet. */
  pendingCycles: number;
}

/** The fixed partition of a team's cycles (ordered by scheduled close, then id). */
export function poolPartition<C extends PoolCycle>(cycles: readonly C[]): PoolPartition<C> {
  if (cycles.length === 0) return { size: MIN_POOL_SIZE, blocks: [], pendingCycles: 0 };
  const size = poolSize(cycles[0]!);
  const blocks: PoolBlock<C>[] = [];
  let pendingCycles = 0;
  for (let start = 0; start < cycles.length; start += size) {
    const block = cycles.slice(start, start + size);
    if (block.length < size || block.some((c) => !c.closed)) {
      pendingCycles += block.filter((c) => c.closed).length;
      continue;
    }
    for (const c of block) assertCount(c.n);
    const k = Math.max(...block.map((c) => c.k));
    const n = block.reduce((s, c) => s + c.n, 0);
    blocks.push({ start, cycles: block, k, n });
  }
  return { size, blocks, pendingCycles };
}
