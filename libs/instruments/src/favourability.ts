/**
 * Favourability: which way is good for each dimension, the plain band a mean falls in, and which
 * item answers count as favourable. Pure functions; docs/statistics.md ("Direction, bands and the
 * favourable share") gives the cut points and why.
 */
import type { Band } from '@candor/contracts';
import {
  INSTRUMENTS,
  itemScore,
  SCALE_MAX,
  SCALE_MIN,
  TRUST_INDEX,
  type Dimension,
  type GoodDirection,
  type Instrument,
  type Item,
} from './definitions';

export type { Band };

export const BAND_LABELS: Record<Band, string> = {
  strong: 'Strong',
  fine: 'Fine',
  'needs-attention': 'Needs attention',
};

/**
 * Cut points on the 1–7 agreement scale, applied to the favourability of a mean (higher is always
 * better, see `favourability`): strong from 5.5 (on average between "somewhat agree" and "agree"),
 * needs attention below 4.5 (on average no more than half a point above "neither agree nor
 * disagree"), fine in between.
 */
export const SCALE_BANDS = { strong: 5.5, needsAttentionBelow: 4.5 } as const;

/**
 * Cut points of the trust index, derived from the scale's: the index of a team whose credibility,
 * reliability and intimacy all sit exactly at a cut point and whose self-orientation sits at the
 * mirrored cut point. Strong: (3 × 5.5) / (8 − 5.5) = 6.6; needs attention below
 * (3 × 4.5) / (8 − 4.5) = 27/7 ≈ 3.86. (All neutral answers give 3.)
 */
export const TRUST_INDEX_BANDS = {
  strong: (3 * SCALE_BANDS.strong) / (SCALE_MIN + SCALE_MAX - SCALE_BANDS.strong),
  needsAttentionBelow:
    (3 * SCALE_BANDS.needsAttentionBelow) / (SCALE_MIN + SCALE_MAX - SCALE_BANDS.needsAttentionBelow),
} as const;

/**
 * An item answer is favourable when its scored value (after reverse-scoring) is at least this on
 * a dimension where higher is better ("somewhat agree" or more with a positive statement) …
 */
export const FAVOURABLE_FROM = 5;
/** … and at most this where lower is better (self-orientation: "somewhat disagree" or less). */
export const FAVOURABLE_UP_TO_WHEN_LOWER = SCALE_MIN + SCALE_MAX - FAVOURABLE_FROM;

/** Every dimension Candor reports: the response dimensions of every instrument, and the trust index. */
export function reportedDimensions(): Dimension[] {
  const byId = new Map<string, Dimension>();
  for (const instrument of INSTRUMENTS) for (const d of instrument.responseDimensions) byId.set(d.id, d);
  byId.set(TRUST_INDEX.id, TRUST_INDEX);
  return [...byId.values()];
}

/** The dimension with this id, or undefined when Candor has none. */
export function findDimension(id: string): Dimension | undefined {
  return reportedDimensions().find((d) => d.id === id);
}

function dimensionOrThrow(id: string): Dimension {
  const dim = findDimension(id);
  if (!dim) throw new RangeError(`unknown dimension ${id}`);
  return dim;
}

/** Which way is good for the dimension. Throws RangeError for an unknown id. */
export function goodDirection(dimensionId: string): GoodDirection {
  return dimensionOrThrow(dimensionId).goodDirection;
}

/**
 * The value on a scale where higher is always better: the value itself where higher is good, its
 * mirror image on the dimension's scale (min + max − value) where lower is good. Comparing and
 * sorting by favourability puts the best first whatever the dimension.
 */
export function favourability(dimensionId: string, value: number): number {
  const dim = dimensionOrThrow(dimensionId);
  return dim.goodDirection === 'higher' ? value : dim.min + dim.max - value;
}

/** The band of a mean (see SCALE_BANDS and TRUST_INDEX_BANDS). Throws RangeError for a non-finite mean. */
export function bandOf(dimensionId: string, mean: number): Band {
  if (!Number.isFinite(mean)) throw new RangeError(`mean must be a finite number, got ${mean}`);
  const cuts = dimensionId === TRUST_INDEX.id ? TRUST_INDEX_BANDS : SCALE_BANDS;
  const value = favourability(dimensionId, mean);
  if (value >= cuts.strong) return 'strong';
  if (value < cuts.needsAttentionBelow) return 'needs-attention';
  return 'fine';
}

/**
 * Whether a change of `delta` (current − previous) in this dimension is an improvement, a
 * worsening, or neither (0). For self-orientation a fall is the improvement.
 */
export function changeTone(dimensionId: string, delta: number): 'better' | 'worse' | 'none' {
  if (delta === 0 || !Number.isFinite(delta)) return 'none';
  const up = delta > 0;
  return up === (goodDirection(dimensionId) === 'higher') ? 'better' : 'worse';
}

/** The response dimension an item counts towards: its trust component, or the instrument's one scale. */
export function itemDimension(instrument: Instrument, item: Item): string {
  if (item.component) return item.component;
  const only = instrument.responseDimensions[0];
  if (!only || instrument.responseDimensions.length !== 1) {
    throw new RangeError(`item ${item.id} of ${instrument.key} has no component`);
  }
  return only.id;
}

/**
 * Whether a raw answer to an item is favourable: its scored value (reverse-scored when the item is
 * negatively worded) is at least FAVOURABLE_FROM on a dimension where higher is better, and at most
 * FAVOURABLE_UP_TO_WHEN_LOWER where lower is better. Throws RangeError for an answer off the scale.
 */
export function isFavourableAnswer(instrument: Instrument, item: Item, answer: number): boolean {
  if (!Number.isInteger(answer) || answer < SCALE_MIN || answer > SCALE_MAX) {
    throw new RangeError(`answer must be a whole number from ${SCALE_MIN} to ${SCALE_MAX}, got ${answer}`);
  }
  const scored = itemScore(item, answer);
  return goodDirection(itemDimension(instrument, item)) === 'higher'
    ? scored >= FAVOURABLE_FROM
    : scored <= FAVOURABLE_UP_TO_WHEN_LOWER;
}

/**
 * Favourable answers among an item's answer counts (`counts[i]` people gave the raw answer i + 1,
 * as the item breakdown releases them): { favourable, total }.
 */
export function favourableCount(
  instrument: Instrument,
  item: Item,
  counts: readonly number[],
): { favourable: number; total: number } {
  if (counts.length !== SCALE_MAX - SCALE_MIN + 1) {
    throw new RangeError(`counts must have ${SCALE_MAX - SCALE_MIN + 1} entries, got ${counts.length}`);
  }
  let favourable = 0;
  let total = 0;
  counts.forEach((count, i) => {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`counts[${i}] must be a count`);
    total += count;
    if (isFavourableAnswer(instrument, item, i + SCALE_MIN)) favourable += count;
  });
  return { favourable, total };
}
