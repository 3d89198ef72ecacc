/**
 * "In short" for a team, in plain words and without p-values: where the team stands on each
 * dimension (its band), what really changed in its latest results (only changes the API flagged
 * significant, called better or worse by the dimension's good direction), and the dimension to
 * work on first — the least favourable one that has plays. Pure, so every rule is tested.
 */
import type { Band, Change, DimensionInfo, TeamTrendResponse } from '@candor/contracts';
import { PLAY_DIMENSIONS, playsFor, type Play } from '@candor/instruments';
import {
  bandFor,
  dimensionDirection,
  favourabilityFor,
  toneOfChange,
  type Tone,
} from '../../components/decisions/direction';

export interface Standing {
  dimension: DimensionInfo;
  mean: number;
  band: Band | undefined;
  n: number;
  invited: number;
  /** When the latest released cycle closed. */
  closesAt: string;
  /** The latest released cycle had everyone invited answering. */
  everyoneAnswered: boolean;
}

export interface RealChange {
  dimension: DimensionInfo;
  change: Change;
  tone: Tone;
  mean: number;
  /** When the previous released cycle (the one it is measured from) closed. */
  since: string;
}

export interface TeamSummary {
  /** Released standings, headline dimensions first (psychological safety, trust index, components). */
  standings: Standing[];
  /** Significant changes in each dimension's latest released cycle, worse ones first. */
  changes: RealChange[];
  /** Dimensions whose latest cycles were compared and showed no real change, with the date compared from. */
  steady: { dimension: DimensionInfo; since: string }[];
  /** The least favourable released dimension that has plays, with them; null when none is released. */
  focus: { standing: Standing; plays: readonly Play[] } | null;
  /** Closed cycles with no released score after the latest released one, per instrument. */
  hiddenRecent: number;
}

function latestReleased(trend: TeamTrendResponse, dimension: DimensionInfo) {
  const points = trend.points;
  for (let i = points.length - 1; i >= 0; i--) {
    const cell = points[i]!.scores[dimension.id];
    if (cell?.status === 'released') {
      let previous: string | null = null;
      for (let j = i - 1; j >= 0; j--) {
        if (points[j]!.scores[dimension.id]?.status === 'released') {
          previous = points[j]!.closesAt;
          break;
        }
      }
      return { point: points[i]!, cell, previous, hiddenAfter: points.length - 1 - i };
    }
  }
  return null;
}

export function summarizeTeam(trends: readonly (TeamTrendResponse | undefined)[]): TeamSummary {
  const standings: Standing[] = [];
  const changes: RealChange[] = [];
  const steady: TeamSummary['steady'] = [];
  let hiddenRecent = 0;
  for (const trend of trends) {
    if (!trend) continue;
    let instrumentHidden = 0;
    for (const dimension of trend.dimensions) {
      const latest = latestReleased(trend, dimension);
      if (!latest) continue;
      instrumentHidden = Math.max(instrumentHidden, latest.hiddenAfter);
      const { cell, point } = latest;
      standings.push({
        dimension,
        mean: cell.mean,
        band: bandFor(dimension.id, cell.mean),
        n: cell.n,
        invited: point.invited,
        closesAt: point.closesAt,
        everyoneAnswered: cell.n >= point.invited && cell.upper - cell.lower < 1e-9,
      });
      if (!cell.change || !latest.previous) continue;
      const tone = cell.change.significant
        ? toneOfChange(dimensionDirection(dimension), cell.change.delta)
        : null;
      if (tone)
        changes.push({ dimension, change: cell.change, tone, mean: cell.mean, since: latest.previous });
      else steady.push({ dimension, since: latest.previous });
    }
    hiddenRecent = Math.max(hiddenRecent, instrumentHidden);
  }
  changes.sort((a, b) => (a.tone === b.tone ? 0 : a.tone === 'worse' ? -1 : 1));
  const candidates = standings
    .filter((s) => (PLAY_DIMENSIONS as readonly string[]).includes(s.dimension.id))
    .sort((a, b) => favourabilityFor(a.dimension.id, a.mean) - favourabilityFor(b.dimension.id, b.mean));
  const lowest = candidates[0];
  return {
    standings,
    changes,
    steady,
    focus: lowest ? { standing: lowest, plays: playsFor(lowest.dimension.id) } : null,
    hiddenRecent,
  };
}
