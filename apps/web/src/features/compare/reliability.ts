/**
 * Pure shaping of the reliability endpoint (Cronbach's α per scale of a survey, per month, for a
 * group) into what the reliability charts and their tables show. Withheld months carry no number
 * from the API and none is invented here.
 */
import type { AlphaCell, AnalyticsSuppressionReason, ReliabilityResponse } from '@candor/contracts';
import { SUPPRESSION_TEXT } from '../../components/chart/trend-data';
import { formatMonth } from './heatmap';

/** The usual reading of α for a short attitude scale. */
export type AlphaReading = 'excellent' | 'good' | 'acceptable' | 'questionable' | 'poor';

export const ACCEPTABLE_ALPHA = 0.7;

/** Read at the two decimals shown, so that a 0.70 on screen is never called "questionable". */
export function readAlpha(value: number): AlphaReading {
  const alpha = Math.round(value * 100) / 100;
  if (alpha >= 0.9) return 'excellent';
  if (alpha >= 0.8) return 'good';
  if (alpha >= ACCEPTABLE_ALPHA) return 'acceptable';
  if (alpha >= 0.6) return 'questionable';
  return 'poor';
}

export interface AlphaDatum {
  period: string;
  /** "March 2025". */
  label: string;
  /** "Mar 25", for the axis. */
  shortLabel: string;
  status: 'released' | 'suppressed';
  alpha: number | null;
  n: number | null;
  reading: AlphaReading | null;
  /** Why no α is shown, in words; null when released. */
  withheld: string | null;
  /** y of the hollow "withheld" marker (the bottom of the axis); null when released. */
  withheldAt: number | null;
}

export interface AlphaSeries {
  data: AlphaDatum[];
  /** Pinned y-axis: 0–1, extended below 0 only if a released α is negative (it can be). */
  domain: [number, number];
  ticks: number[];
  minimumN: number;
  releasedCount: number;
}

export function withheldText(reason: AnalyticsSuppressionReason, minimumN: number): string {
  if (reason === 'below-minimum') return `Not enough responses (n < ${minimumN})`;
  if (reason === 'mixed-versions') return 'Not shown (the month mixes versions of the statements)';
  return SUPPRESSION_TEXT[reason].short;
}

/** α cells of one scale of the response (`response.scales[].id`), month by month. */
function cellsOf(response: ReliabilityResponse, scaleId: string): { period: string; alpha: AlphaCell }[] {
  return response.points.map((p) => ({
    period: p.period,
    alpha: p.scales.find((s) => s.scale === scaleId)?.alpha ?? {
      status: 'suppressed',
      reason: 'below-minimum',
    },
  }));
}

/** The series of one scale: psych safety has one, the trust equation one per component. */
export function shapeReliability(response: ReliabilityResponse, scaleId: string): AlphaSeries {
  const points = cellsOf(response, scaleId);
  const released = points.flatMap((p) => (p.alpha.status === 'released' ? [p.alpha.alpha] : []));
  const lowest = Math.min(0, ...released);
  const bottom = lowest < 0 ? Math.floor(lowest * 5) / 5 : 0;
  const ticks: number[] = [];
  for (let t = bottom; t <= 1 + 1e-9; t += 0.2) ticks.push(Math.round(t * 10) / 10);
  if (!ticks.includes(ACCEPTABLE_ALPHA)) ticks.push(ACCEPTABLE_ALPHA);
  ticks.sort((a, b) => a - b);
  const data = points.map((p): AlphaDatum => {
    const base = { period: p.period, label: formatMonth(p.period), shortLabel: shortMonth(p.period) };
    if (p.alpha.status === 'released') {
      return {
        ...base,
        status: 'released',
        alpha: p.alpha.alpha,
        n: p.alpha.n,
        reading: readAlpha(p.alpha.alpha),
        withheld: null,
        withheldAt: null,
      };
    }
    return {
      ...base,
      status: 'suppressed',
      alpha: null,
      n: null,
      reading: null,
      withheld: withheldText(p.alpha.reason, response.minimumN),
      withheldAt: bottom,
    };
  });
  return {
    data,
    domain: [bottom, 1],
    ticks,
    minimumN: response.minimumN,
    releasedCount: released.length,
  };
}

const shortMonthFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  year: '2-digit',
  timeZone: 'UTC',
});

function shortMonth(period: string): string {
  const [y, m] = period.split('-').map(Number);
  return y && m ? shortMonthFormat.format(new Date(Date.UTC(y, m - 1, 1))) : period;
}

export function formatAlpha(alpha: number): string {
  return alpha.toFixed(2);
}

/** One sentence about the latest released month, for the figure's headline and its description. */
export function describeAlpha(series: AlphaSeries, surveyTitle: string): string {
  const latest = [...series.data].reverse().find((d) => d.status === 'released');
  if (!latest || latest.alpha === null || latest.reading === null) {
    return `${surveyTitle}: no month had at least ${series.minimumN} responses in this group, so no α is shown.`;
  }
  const verdict = ['excellent', 'good', 'acceptable'].includes(latest.reading)
    ? `${latest.reading} (0.7 or more): the statements hang together as one measure`
    : `${latest.reading} (below 0.7): the statements do not hang together well for these people, so read the score with care`;
  return `${surveyTitle}: α = ${formatAlpha(latest.alpha)} in ${latest.label} (n = ${latest.n}), ${verdict}.`;
}
