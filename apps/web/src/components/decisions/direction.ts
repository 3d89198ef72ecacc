/**
 * Which way is good, for the web: every colour, arrow, sort and word that says "better" or
 * "worse" goes through here, so self-orientation (lower is better) is read the right way round
 * everywhere. The rules themselves live in @candor/instruments.
 */
import type { Band, ComparisonFlag, DimensionInfo, GoodDirection } from '@candor/contracts';
import { bandOf, favourability, findDimension } from '@candor/instruments';

export type Tone = 'better' | 'worse';

/** The API's declared direction, else the instrument definition's, else higher. */
export function dimensionDirection(
  dim: Pick<DimensionInfo, 'id'> & { goodDirection?: GoodDirection },
): GoodDirection {
  return dim.goodDirection ?? findDimension(dim.id)?.goodDirection ?? 'higher';
}

/** A change of `delta` is better or worse for a dimension with this good direction (null for 0). */
export function toneOfChange(direction: GoodDirection, delta: number): Tone | null {
  if (delta === 0 || !Number.isFinite(delta)) return null;
  return delta > 0 === (direction === 'higher') ? 'better' : 'worse';
}

/** A comparison flag (the sign of team − rest) as better or worse than the rest of the group. */
export function toneOfFlag(direction: GoodDirection, flag: ComparisonFlag): Tone | null {
  if (flag === 'none') return null;
  return toneOfChange(direction, flag === 'above' ? 1 : -1);
}

/** The band of a mean, when the dimension is one Candor knows (undefined otherwise). */
export function bandFor(dimensionId: string, mean: number): Band | undefined {
  return findDimension(dimensionId) ? bandOf(dimensionId, mean) : undefined;
}

/** Favourability (higher is better whatever the dimension), for sorting; the value itself when unknown. */
export function favourabilityFor(dimensionId: string, value: number): number {
  return findDimension(dimensionId) ? favourability(dimensionId, value) : value;
}

/** "higher is better" / "lower is better", for captions. */
export function directionWords(direction: GoodDirection): string {
  return direction === 'higher' ? 'higher is better' : 'lower is better';
}

/** Words for a change's direction in a dimension: "rose"/"fell" and whether that is good. */
export function movedWord(delta: number): string {
  return delta > 0 ? 'rose' : 'fell';
}
