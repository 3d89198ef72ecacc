/**
 * Pure shaping of API trend points into what the chart and its data table draw. Everything the
 * picture encodes is decided here (and tested): the pinned scale, the interval band, the gaps for
 * suppressed cycles, which changes are flagged and whether each is for the better or the worse.
 *
 * Suppressed cells carry no numbers from the API and none are invented here: their mean, band
 * and n are null, never 0.
 */
import type {
  Change,
  DimensionInfo,
  GoodDirection,
  SuppressionReason,
  TrendAction,
  TrendPoint,
} from '@candor/contracts';
import { SCALE_BANDS, TRUST_INDEX_BANDS } from '@candor/instruments';
import { formatDateRange, formatShortDate } from '../../lib/format';
import { dimensionDirection, toneOfChange, type Tone } from '../decisions/direction';

export interface ChartScale {
  /** The dimension's declared range. */
  min: number;
  max: number;
  /**
   * Pinned axis domain, never fitted to the data: the scale itself (1–7), or for the trust index
   * the range teams actually reach, 0–12 (see chartScale); a value beyond it is drawn at the edge
   * and marked.
   */
  domain: [number, number];
  ticks: number[];
  /** Where "no opinion either way" sits on the scale, drawn as a reference line. */
  neutral: number;
  /**
   * The band cut points as values on this scale (mirrored where lower is better): from `strong` on
   * the good side the band is strong; beyond `attention` on the bad side it needs attention.
   */
  bands: { strong: number; attention: number } | null;
  goodDirection: GoodDirection;
}

export interface TrendDatum {
  cycleId: string;
  /** Short x-axis label: the closing date. */
  label: string;
  /** Full date range of the cycle, for tooltips and the table. */
  period: string;
  /** When the cycle closed (ISO), for sentences such as "since 17 Mar 2025". */
  closesAt: string;
  k: number;
  invited: number;
  status: 'released' | 'suppressed';
  reason: SuppressionReason | null;
  n: number | null;
  mean: number | null;
  lower: number | null;
  upper: number | null;
  /** [lower, upper] clipped to the scale, for the range area; null leaves a gap. */
  band: [number, number] | null;
  /**
   * Whisker lengths [mean − lower, upper − mean] for a released point with no released neighbour:
   * its band would have no width, so the interval is drawn as an error bar instead.
   */
  whisker: [number, number] | null;
  change: Change | null;
  significant: boolean;
  /** For a significant change: better or worse, by the dimension's good direction; null otherwise. */
  tone: Tone | null;
  /** The mean where the line draws it: inside the axis domain. */
  plotMean: number | null;
  /** The mean lies beyond the axis (drawn at its edge with a marker). */
  overflow: 'above' | 'below' | null;
  /** Everyone invited answered: the score has no sampling margin (its interval is the score itself). */
  everyoneAnswered: boolean;
  /** Height of the grey "no score" column of a suppressed cycle (the top of the axis); null when released. */
  gap: number | null;
}

export interface TrendSeries {
  dimension: DimensionInfo;
  goodDirection: GoodDirection;
  scale: ChartScale;
  data: TrendDatum[];
  releasedCount: number;
  suppressedCount: number;
  /** Distinct k values across the cycles, ascending (k is locked per cycle and may differ). */
  kValues: number[];
}

const LIKERT_TICKS = [1, 2, 3, 4, 5, 6, 7];

/** The trust index axis: 0–12 covers what teams reach (all neutral gives 3; 6/2 on every component gives 9). */
export const TRUST_INDEX_AXIS_MAX = 12;

/**
 * The axis for a dimension, pinned. The 1–7 scales use the whole scale. The trust index is declared
 * on 3/7–21, but a team only reaches 21 if every answer is the most favourable possible; on that
 * axis real values fill the bottom sixth of the chart. It is drawn on 0–12 instead, with whole
 * ticks (the old "3/7" label read like a date); a value above 12 is drawn at the top and marked.
 */
export function chartScale(
  dimension: Pick<DimensionInfo, 'min' | 'max'> & Partial<Pick<DimensionInfo, 'id' | 'goodDirection'>>,
): ChartScale {
  const { min, max } = dimension;
  const goodDirection = dimension.id
    ? dimensionDirection({ id: dimension.id, goodDirection: dimension.goodDirection })
    : 'higher';
  if (min === 1 && max === 7) {
    const mirror = (v: number) => (goodDirection === 'higher' ? v : min + max - v);
    return {
      min,
      max,
      domain: [1, 7],
      ticks: LIKERT_TICKS,
      neutral: 4,
      bands: dimension.id
        ? { strong: mirror(SCALE_BANDS.strong), attention: mirror(SCALE_BANDS.needsAttentionBelow) }
        : null,
      goodDirection,
    };
  }
  if (Math.abs(min - 3 / 7) < 1e-9 && max === 21) {
    // Trust index (C + R + I) / S: all-neutral answers give 12 / 4 = 3.
    return {
      min,
      max,
      domain: [0, TRUST_INDEX_AXIS_MAX],
      ticks: [0, 3, 6, 9, 12],
      neutral: 3,
      bands: { strong: TRUST_INDEX_BANDS.strong, attention: TRUST_INDEX_BANDS.needsAttentionBelow },
      goodDirection,
    };
  }
  const step = niceStep((max - min) / 6);
  const ticks: number[] = [min];
  for (let t = Math.ceil(min / step) * step; t < max; t += step) if (t > min) ticks.push(roundTo(t, 6));
  ticks.push(max);
  return { min, max, domain: [min, max], ticks, neutral: (min + max) / 2, bands: null, goodDirection };
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const finite = (...values: number[]) => values.every((v) => Number.isFinite(v));

export function shapeTrend(points: readonly TrendPoint[], dimension: DimensionInfo): TrendSeries {
  const scale = chartScale(dimension);
  const [bottom, top] = scale.domain;
  const data: TrendDatum[] = points.map((point) => {
    const base = {
      cycleId: point.cycleId,
      label: formatShortDate(point.closesAt),
      period: formatDateRange(point.opensAt, point.closesAt),
      closesAt: point.closesAt,
      k: point.k,
      invited: point.invited,
    };
    const cell = point.scores[dimension.id];
    if (cell && cell.status === 'released' && finite(cell.mean, cell.lower, cell.upper) && cell.n > 0) {
      const lower = Math.min(cell.lower, cell.mean);
      const upper = Math.max(cell.upper, cell.mean);
      const significant = cell.change?.significant === true;
      return {
        ...base,
        status: 'released',
        reason: null,
        n: cell.n,
        mean: cell.mean,
        lower: cell.lower,
        upper: cell.upper,
        band: [clamp(lower, bottom, top), clamp(upper, bottom, top)],
        whisker: null,
        change: cell.change,
        significant,
        tone: significant && cell.change ? toneOfChange(scale.goodDirection, cell.change.delta) : null,
        plotMean: clamp(cell.mean, bottom, top),
        overflow: cell.mean > top ? 'above' : cell.mean < bottom ? 'below' : null,
        everyoneAnswered: cell.n >= point.invited && cell.upper - cell.lower < 1e-9,
        gap: null,
      };
    }
    return {
      ...base,
      status: 'suppressed',
      // A missing cell is treated as suppressed: never drawn as a number.
      reason: cell && cell.status === 'suppressed' ? cell.reason : 'below-k',
      n: null,
      mean: null,
      lower: null,
      upper: null,
      band: null,
      whisker: null,
      change: null,
      significant: false,
      tone: null,
      plotMean: null,
      overflow: null,
      everyoneAnswered: false,
      gap: top,
    };
  });

  data.forEach((datum, index) => {
    if (datum.status !== 'released' || datum.mean === null || !datum.band) return;
    const hasReleasedNeighbour = [data[index - 1], data[index + 1]].some((d) => d?.status === 'released');
    if (!hasReleasedNeighbour && datum.plotMean !== null)
      datum.whisker = [datum.plotMean - datum.band[0], datum.band[1] - datum.plotMean];
  });

  const releasedCount = data.filter((d) => d.status === 'released').length;
  return {
    dimension,
    goodDirection: scale.goodDirection,
    scale,
    data,
    releasedCount,
    suppressedCount: data.length - releasedCount,
    kValues: [...new Set(points.map((p) => p.k))].sort((a, b) => a - b),
  };
}

export const SUPPRESSION_TEXT: Record<SuppressionReason, { short: string; long: string }> = {
  'below-k': { short: 'Suppressed (n < k)', long: 'fewer than k answers' },
  'would-reveal': {
    short: 'Suppressed (would reveal a smaller group)',
    long: 'together with numbers already shown it would reveal a group smaller than k',
  },
  'open-cycle': { short: 'Suppressed (cycle open)', long: 'the cycle is still open' },
  'period-open': {
    short: 'Not final yet',
    long: 'the month is released once it is over and all its cycles have closed',
  },
};

/** "k = 5" or "k = 3–5 (set per cycle)". */
export function describeK(kValues: readonly number[]): string {
  if (kValues.length === 0) return 'k is set per cycle';
  if (kValues.length === 1) return `k = ${kValues[0]}`;
  return `k = ${kValues[0]}–${kValues[kValues.length - 1]} (set per cycle)`;
}

/** Screen-reader summary of a whole series, used as the chart's accessible description. */
export function describeSeries(series: TrendSeries): string {
  const { data, dimension } = series;
  if (data.length === 0) return `${dimension.label}: no closed cycles yet.`;
  const latest = [...data].reverse().find((d) => d.status === 'released');
  const parts = [
    `${dimension.label} over ${data.length} closed cycle${data.length === 1 ? '' : 's'}`,
    `${series.releasedCount} shown, ${series.suppressedCount} suppressed`,
  ];
  if (latest && latest.mean !== null && latest.lower !== null && latest.upper !== null) {
    parts.push(
      `latest shown (${latest.period}): mean ${latest.mean.toFixed(2)} on ${formatBound(dimension.min)}–${formatBound(dimension.max)} (${series.goodDirection} is better), ${
        latest.everyoneAnswered
          ? 'everyone invited answered (no margin of error)'
          : `95% interval ${latest.lower.toFixed(2)}–${latest.upper.toFixed(2)}`
      }, n = ${latest.n}`,
    );
  }
  return `${parts.join('; ')}.`;
}

/** A scale end for text: whole numbers as they are, others to two decimals (3/7 → "0.43", never "3/7"). */
export function formatBound(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** An action the team recorded, placed on a trend's time axis. */
export interface ActionMarker {
  id: string;
  /** "A1", "A2", … in date order: the label on the chart and in the list. */
  label: string;
  text: string;
  /** `YYYY-MM-DD` */
  date: string;
  /** The x value (cycle id) of the first cycle closing on or after the date; null after the last one. */
  x: string | null;
  change: Change | null;
  /** Periods of the released cycles the change is measured between. */
  before: string | null;
  after: string | null;
}

/** Actions on this series' dimension, oldest first, each placed on the cycle axis. */
export function placeActions(series: TrendSeries, actions: readonly TrendAction[] = []): ActionMarker[] {
  const period = new Map(series.data.map((d) => [d.cycleId, d.period]));
  return actions
    .filter((a) => a.dimension === series.dimension.id)
    .sort((a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt))
    .map((action, index) => ({
      id: action.id,
      label: `A${index + 1}`,
      text: action.text,
      date: action.date,
      x: series.data.find((d) => d.closesAt.slice(0, 10) >= action.date)?.cycleId ?? null,
      change: action.change,
      before: action.beforeCycleId ? (period.get(action.beforeCycleId) ?? null) : null,
      after: action.afterCycleId ? (period.get(action.afterCycleId) ?? null) : null,
    }));
}
