import { assertOpenUnit } from './validate';

export const DEFAULT_FDR = 0.1;

export interface BhResult {
  /** BH-adjusted p-values, in the input order. */
  adjusted: number[];
  /** adjusted[i] ≤ q, in the input order. */
  rejected: boolean[];
}

/**
 * Benjamini–Hochberg step-up procedure controlling the false discovery rate at level q (default
 * 0.10), for m p-values:
 *
 *   sort p ascending: p₍₁₎ ≤ … ≤ p₍ₘ₎
 *   adjusted p₍ᵢ₎ = min_{j ≥ i} min(1, m · p₍ⱼ₎ / j)
 *   reject H₍ᵢ₎ ⇔ adjusted p₍ᵢ₎ ≤ q   (⇔ i ≤ max{ j : p₍ⱼ₎ ≤ j·q/m })
 *
 * The adjusted values are monotone in the raw p-values, never below them and capped at 1; the
 * output keeps the input order. Ties share one adjusted value. Throws RangeError on a p-value
 * outside [0, 1] (including NaN) or q outside (0, 1).
 */
export function benjaminiHochberg(pValues: readonly number[], q: number = DEFAULT_FDR): BhResult {
  assertOpenUnit('q', q);
  pValues.forEach((p, i) => {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new RangeError(`p-value at index ${i} must be in [0, 1], got ${String(p)}`);
    }
  });
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1]!;
    // p · (m/rank) rather than m·p/rank: m/rank never rounds below 1, so adjusted never rounds below p.
    running = Math.min(running, pValues[i]! * (m / rank));
    adjusted[i] = running;
  }
  return { adjusted, rejected: adjusted.map((a) => a <= q) };
}
