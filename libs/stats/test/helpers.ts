import fc from 'fast-check';

/** |actual − expected| ≤ max(abs, rel·|expected|), with a readable failure message. */
export function expectClose(actual: number, expected: number, rel = 1e-10, abs = 1e-12): void {
  const tolerance = Math.max(abs, rel * Math.abs(expected));
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(`expected ${actual} to be within ${tolerance} of ${expected}`);
  }
}

/** Answers on a 1–7 scale in steps of 1/7 (a 7-item mean), like a psych-safety score. */
export const score = fc.integer({ min: 7, max: 49 }).map((s) => s / 7);

/** A sample of scores. */
export const scores = (minLength = 0, maxLength = 60) => fc.array(score, { minLength, maxLength });

/** Moderate real values for algebraic properties (no huge magnitudes that defeat float sums). */
export const real = fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true });
