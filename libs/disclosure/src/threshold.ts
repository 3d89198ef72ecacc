/**
 * The k-threshold: every released aggregate cell needs at least k responses (DESIGN.md, anonymity
 * point 4). k defaults to 5, is never below 3 and is locked when a cycle opens.
 */

export const MIN_K = 3;
export const DEFAULT_K = 5;
export const MAX_K = 50;

/** Field message for an admin-supplied k, or null when it is an integer in 3..50. */
export function validateK(k: unknown): string | null {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < MIN_K || k > MAX_K) {
    return `k must be a whole number from ${MIN_K} to ${MAX_K}`;
  }
  return null;
}

/** Throws RangeError unless k is an integer ≥ MIN_K (a stricter k above MAX_K is allowed here). */
export function assertK(k: number): void {
  if (!Number.isInteger(k) || k < MIN_K) {
    throw new RangeError(`k must be an integer of at least ${MIN_K}, got ${String(k)}`);
  }
}

/** Throws RangeError unless n is a non-negative integer. */
export function assertCount(n: number, what = 'n'): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${String(n)}`);
  }
}

/**
 * Whether a cell of n responses may be released under threshold k: n ≥ k (and so n > 0).
 * Throws RangeError for a k below MIN_K or a count that is not a non-negative integer, so a
 * misconfigured threshold fails closed instead of releasing.
 */
export function isReleasable(n: number, k: number): boolean {
  assertK(k);
  assertCount(n);
  return n > 0 && n >= k;
}
