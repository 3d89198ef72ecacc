/** Argument checks shared by the estimators. Invalid arguments are programming errors: we throw. */

export function assertFiniteNumber(name: string, x: number): void {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new RangeError(`${name} must be a finite number, got ${String(x)}`);
  }
}

/** A probability strictly between 0 and 1 (confidence level, alpha, power, FDR level). */
export function assertOpenUnit(name: string, p: number): void {
  if (typeof p !== 'number' || !(p > 0 && p < 1)) {
    throw new RangeError(`${name} must be strictly between 0 and 1, got ${String(p)}`);
  }
}

export function assertBounds(bounds: { min: number; max: number }): void {
  assertFiniteNumber('bounds.min', bounds.min);
  assertFiniteNumber('bounds.max', bounds.max);
  if (bounds.min > bounds.max) {
    throw new RangeError(`bounds.min (${bounds.min}) must not exceed bounds.max (${bounds.max})`);
  }
}

export function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}

/** Clamp both ends of an interval into the bounds, if any. */
export function clipInterval(
  lower: number,
  upper: number,
  bounds?: { min: number; max: number },
): [number, number] {
  if (!bounds) return [lower, upper];
  return [clamp(lower, bounds.min, bounds.max), clamp(upper, bounds.min, bounds.max)];
}
