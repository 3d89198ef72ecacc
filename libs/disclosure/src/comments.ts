/**
 * Comments (docs/adr/0012-anonymous-comments.md): their own threshold, on top of the release gate.
 *
 * A cycle's comment text goes to its team's leads only after close and only when at least
 * `k_comments` people took part (default max(k, 5), never below k, frozen at open). A comment
 * count is a number like any other: it goes through the gate as the cell of its one cycle (n = the
 * cycle's responses), and then needs the comment threshold too.
 */
import { decideWithoutLedger, type GateDecision, type GateReason, requireAlso } from './gate';
import { MAX_K } from './threshold';

/** The smallest k_comments a schedule gets when it sets none. */
export const DEFAULT_K_COMMENTS = 5;

/** k_comments for a cycle of threshold k when nothing else is set: max(k, 5). */
export function defaultKComments(k: number): number {
  return Math.max(k, DEFAULT_K_COMMENTS);
}

/** Field message for a k_comments, or null when it is a whole number from k to MAX_K. */
export function validateKComments(kComments: unknown, k: number): string | null {
  if (typeof kComments !== 'number' || !Number.isInteger(kComments) || kComments < k || kComments > MAX_K) {
    return `kComments must be a whole number from k (${k}) to ${MAX_K}`;
  }
  return null;
}

export type CommentReason = GateReason | 'below-k-comments';

export type CommentDecision = GateDecision | { released: false; reason: CommentReason };

export interface CommentCycleFacts {
  id: string;
  closed: boolean;
  /** Responses of the cycle (people who took part). */
  n: number;
  k: number;
  kComments: number;
  invited: number;
}

/**
 * Whether a cycle's comments (their count, and for its leads their text) may be released: the
 * gate's decision for the cycle's own cell, then n ≥ k_comments.
 */
export function decideComments(c: CommentCycleFacts): CommentDecision {
  if (!Number.isInteger(c.kComments) || c.kComments < c.k) {
    throw new RangeError(`k_comments must be at least k (${c.k}), got ${String(c.kComments)}`);
  }
  const gate = decideWithoutLedger({ key: `comments:${c.id}`, cycles: [c.id] }, (id) =>
    id === c.id ? { n: c.n, k: c.k, closed: c.closed, invited: c.invited } : undefined,
  );
  // One cycle alone never needs the ledger: n < k is refused before, n ≥ k is a known cell.
  const decision: GateDecision = gate === 'ledger' ? { released: false, reason: 'would-reveal' } : gate;
  return requireAlso<CommentReason>(decision, c.n >= c.kComments, 'below-k-comments');
}
