/** Trend points as the API returns them, for chart and page tests. */
import type { Cell, Change, ScoreEstimate, TeamTrendResponse, TrendPoint } from '@candor/contracts';

let seq = 0;

export function released(
  mean: number,
  lower: number,
  upper: number,
  n: number,
  change: Change | null = null,
) {
  return { status: 'released', n, mean, lower, upper, change } satisfies Cell<ScoreEstimate>;
}

export const suppressed = (reason: 'below-k' | 'would-reveal' = 'below-k') =>
  ({ status: 'suppressed', reason }) satisfies Cell<ScoreEstimate>;

export function change(delta: number, p: number, significant: boolean): Change {
  return { delta, p, mdc: 0.4, significant, direction: delta > 0 ? 'up' : delta < 0 ? 'down' : 'none' };
}

/** One closed cycle; `month` (1–12) sets its dates in 2025. */
export function point(
  month: number,
  scores: TrendPoint['scores'],
  options: { k?: number; invited?: number; n?: number | null } = {},
): TrendPoint {
  seq += 1;
  const k = options.k ?? 5;
  const invited = options.invited ?? 9;
  const n = options.n === undefined ? 7 : options.n;
  const mm = String(month).padStart(2, '0');
  return {
    cycleId: `cycle-${month}-${seq}`,
    opensAt: `2025-${mm}-03T09:00:00.000Z`,
    closesAt: `2025-${mm}-17T17:00:00.000Z`,
    k,
    invited,
    participation:
      n !== null && n >= k
        ? { status: 'released', n, invited, rate: n / invited }
        : { status: 'suppressed', reason: 'below-k' },
    scores,
  };
}

export const PSYCH = { id: 'psych_safety', label: 'Psychological safety', min: 1, max: 7 };
export const TRUST_INDEX_DIM = { id: 'trust_index', label: 'Trust index', min: 3 / 7, max: 21 };

export function trendResponse(
  instrument: 'psych-safety' | 'trust-equation',
  points: TrendPoint[],
  openCycle: TeamTrendResponse['openCycle'] = null,
): TeamTrendResponse {
  const dimensions =
    instrument === 'psych-safety'
      ? [PSYCH]
      : [
          TRUST_INDEX_DIM,
          { id: 'credibility', label: 'Credibility', min: 1, max: 7 },
          { id: 'reliability', label: 'Reliability', min: 1, max: 7 },
          { id: 'intimacy', label: 'Intimacy', min: 1, max: 7 },
          { id: 'self_orientation', label: 'Self-orientation', min: 1, max: 7 },
        ];
  return {
    team: { id: 'team-1', name: 'Platform', groupName: 'Engineering' },
    instrument,
    dimensions,
    points,
    openCycle,
  };
}
