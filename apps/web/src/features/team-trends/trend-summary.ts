/**
 * The plain-language line at the top of a team's results: what the latest released score is and
 * how it moved since the cycle before. A movement is called a change only when the API flagged it
 * significant (p < 0.05 and at least the minimum detectable change); otherwise it held steady
 * within the interval, whatever the raw difference.
 */
import { formatDate, formatP, formatScore } from '../../lib/format';
import type { TrendDatum, TrendSeries } from '../../components/chart/trend-data';

export interface TrendSummary {
  /** One or two sentences, ready to show. */
  text: string;
  tone: 'up' | 'down' | 'steady' | 'none';
}

function releasedBefore(data: readonly TrendDatum[], index: number): TrendDatum | undefined {
  for (let i = index - 1; i >= 0; i--) if (data[i]!.status === 'released') return data[i];
  return undefined;
}

export function summarizeTrend(series: TrendSeries): TrendSummary {
  const { data, dimension } = series;
  const label = dimension.label;
  const latestIndex = data.findLastIndex((d) => d.status === 'released');
  if (latestIndex < 0) {
    return {
      text:
        data.length === 0
          ? `${label}: no cycle has closed yet.`
          : `${label}: no cycle has reached k answers yet, so there is no score to report.`,
      tone: 'none',
    };
  }
  const latest = data[latestIndex]!;
  const hiddenAfter = data.length - 1 - latestIndex;
  const tail =
    hiddenAfter > 0
      ? ` The ${hiddenAfter === 1 ? 'most recent cycle was' : `${hiddenAfter} most recent cycles were`} suppressed (fewer than k answers), so this is the latest score shown.`
      : '';
  const previous = releasedBefore(data, latestIndex);
  const change = latest.change;
  if (!previous || !change) {
    return {
      text: `${label} is ${formatScore(latest.mean!)} (${latest.label}, n = ${latest.n}); there is no earlier score to compare it with.${tail}`,
      tone: 'none',
    };
  }
  const since = formatDate(previous.closesAt);
  const size = Math.abs(change.delta).toFixed(2);
  if (latest.significant && change.direction !== 'none') {
    const verb = change.direction === 'up' ? 'rose' : 'fell';
    return {
      text: `${label} ${verb} ${size} since ${since}, a significant change (${formatP(change.p)}). It is now ${formatScore(latest.mean!)}.${tail}`,
      tone: change.direction,
    };
  }
  const moved =
    Number(size) === 0
      ? 'no difference'
      : `${change.delta > 0 ? 'up' : 'down'} ${size}, not a significant change`;
  return {
    text: `${label} held steady within the interval since ${since} (${moved}, ${formatP(change.p)}). It is ${formatScore(latest.mean!)}.${tail}`,
    tone: 'steady',
  };
}
