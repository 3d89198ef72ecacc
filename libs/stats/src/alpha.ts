import { sampleVariance, type Moments } from './moments';

/**
 * Cronbach's α of a k-item scale from sufficient statistics:
 *
 *   α = k/(k − 1) · (1 − Σᵢ s²ᵢ / s²_total)
 *
 * where s²ᵢ is the sample variance of item i and s²_total the sample variance of the per-response
 * total score. `items` are the moments of each item's scored value (reverse-worded items already
 * reversed), `total` the moments of the per-response SUM of those k scored values — not their
 * mean. Every item must have been answered in every response (same n as the total).
 *
 * Because Σ of the totals must equal the sum of the item sums, a total built from the mean score
 * (or from unreversed items) is detected and rejected with a RangeError, as is a different n.
 *
 * null when k < 2, n < 2 or s²_total = 0 (α is undefined). α ≤ 1, and can be negative.
 */
export function cronbachAlpha(items: readonly Moments[], total: Moments): number | null {
  const k = items.length;
  for (const [i, item] of items.entries()) {
    if (item.n !== total.n) {
      throw new RangeError(`item ${i} has n = ${item.n} but the total has n = ${total.n}`);
    }
  }
  const itemSum = items.reduce((s, m) => s + m.sum, 0);
  const tolerance =
    1e-9 *
    Math.max(
      1,
      Math.abs(total.sum),
      items.reduce((s, m) => s + Math.abs(m.sum), 0),
    );
  if (k > 0 && Math.abs(itemSum - total.sum) > tolerance) {
    throw new RangeError(
      `total.sum (${total.sum}) must equal the sum of the item sums (${itemSum}): pass the per-response sum of the item scores`,
    );
  }
  if (k < 2 || total.n < 2) return null;
  const totalVariance = sampleVariance(total);
  if (!(totalVariance > 0)) return null;
  const itemVariance = items.reduce((s, m) => s + sampleVariance(m), 0);
  return (k / (k - 1)) * (1 - itemVariance / totalVariance);
}

/**
 * Moments of the per-response SUM of a scale's m items, from the moments of the per-response MEAN
 * of those items (the form `cycle_stats` stores a response dimension in): the sum is m · mean, so
 * Σ sum = m · Σ mean and Σ sum² = m² · Σ mean². This is the `total` `cronbachAlpha` needs for a
 * subscale, without a stored total of its own.
 */
export function sumMomentsFromMean(mean: Moments, items: number): Moments {
  if (!Number.isInteger(items) || items < 1) {
    throw new RangeError(`items must be a positive whole number, got ${items}`);
  }
  return { n: mean.n, sum: items * mean.sum, sumSq: items * items * mean.sumSq };
}
