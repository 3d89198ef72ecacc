/**
 * Two group comparisons (one per survey) and team trends, as the API returns them, for the unit
 * tests of the director's overview (group-overview.ts).
 */
import type {
  Change,
  ComparisonRow,
  GroupComparisonResponse,
  TeamTrendResponse,
  TrendPoint,
} from '@candor/contracts';

const released = (mean: number, lower: number, upper: number, n: number, change: Change | null = null) =>
  ({ status: 'released', n, mean, lower, upper, change }) as const;

const change = (delta: number, p: number, significant: boolean): Change => ({
  delta,
  p,
  mdc: 0.4,
  significant,
  direction: delta > 0 ? 'up' : delta < 0 ? 'down' : 'none',
});

/** One closed cycle in month `month` of 2025. */
function point(
  month: number,
  scores: TrendPoint['scores'],
  { k = 5, invited = 9, n = 7 }: { k?: number; invited?: number; n?: number } = {},
): TrendPoint {
  const mm = String(month).padStart(2, '0');
  return {
    cycleId: `cycle-${month}`,
    opensAt: `2025-${mm}-03T09:00:00.000Z`,
    closesAt: `2025-${mm}-17T17:00:00.000Z`,
    k,
    invited,
    participation:
      n >= k
        ? { status: 'released', n, invited, rate: n / invited }
        : { status: 'suppressed', reason: 'below-k' },
    scores,
  };
}

function trendResponse(
  instrument: 'psych-safety' | 'trust-equation',
  points: TrendPoint[],
): TeamTrendResponse {
  return {
    team: { id: 'team-1', name: 'Platform', groupName: 'Engineering' },
    instrument,
    dimensions: instrument === 'psych-safety' ? PSYCH_DIMS : TRUST_DIMS,
    points,
    openCycle: null,
  };
}

const PSYCH_DIMS = [{ id: 'psych_safety', label: 'Psychological safety', min: 1, max: 7 }];

type Score = ComparisonRow['scores'][string];

export const score = (mean: number, flag: 'above' | 'below' | 'none' = 'none', q = 0.5): Score => ({
  status: 'released',
  n: 8,
  mean,
  lower: mean - 0.3,
  upper: mean + 0.3,
  test: {
    delta: flag === 'below' ? -0.7 : flag === 'above' ? 0.7 : 0.1,
    p: flag === 'none' ? 0.6 : 0.001,
    q,
    flag,
  },
});

const teamRow = (
  id: string,
  name: string,
  scores: Record<string, Score>,
  cycleId: string | null = `c-${id}`,
): ComparisonRow => ({
  kind: 'team',
  id,
  name,
  parentId: 'g-root',
  depth: 1,
  cycleId,
  participation:
    cycleId === null
      ? { status: 'suppressed', reason: 'below-k' }
      : { status: 'released', n: 8, invited: 10, rate: 0.8 },
  scores,
});

const rootRow = (scores: Record<string, Score>): ComparisonRow => ({
  kind: 'group',
  id: 'g-root',
  name: 'Product',
  parentId: null,
  depth: 0,
  cycleId: null,
  participation: { status: 'released', n: 30, invited: 40, rate: 0.75 },
  scores,
});

const TRUST_DIMS = [
  { id: 'trust_index', label: 'Trust index', min: 3 / 7, max: 21 },
  { id: 'credibility', label: 'Credibility', min: 1, max: 7 },
  { id: 'reliability', label: 'Reliability', min: 1, max: 7 },
  { id: 'intimacy', label: 'Intimacy', min: 1, max: 7 },
  { id: 'self_orientation', label: 'Self-orientation', min: 1, max: 7 },
];

const trust = (
  index: number,
  c: number,
  r: number,
  i: number,
  s: number,
  flags: Partial<Record<string, 'above' | 'below'>> = {},
) => ({
  trust_index: score(index, flags.trust_index),
  credibility: score(c, flags.credibility),
  reliability: score(r, flags.reliability),
  intimacy: score(i, flags.intimacy),
  self_orientation: score(s, flags.self_orientation, 0.02),
});

/**
 * Falls: psych safety 5.9, a significant drop since its previous cycle.
 * Steady: fine everywhere; self-orientation significantly ABOVE the rest — which is worse.
 * Strong: strong everywhere.
 * Quiet: no cycle closed in the month.
 */
export function overviewComparisons(
  period = '2025-03',
): Record<'psych-safety' | 'trust-equation', GroupComparisonResponse> {
  const base = { group: { id: 'g-root', name: 'Product' }, period, final: true, k: 5, fdr: 0.1 };
  return {
    'psych-safety': {
      ...base,
      instrument: 'psych-safety',
      dimensions: PSYCH_DIMS,
      rows: [
        rootRow({ psych_safety: score(5.2) }),
        teamRow('t-falls', 'Falls', { psych_safety: score(4.3, 'below', 0.04) }),
        teamRow('t-steady', 'Steady', { psych_safety: score(5.1) }),
        teamRow('t-strong', 'Strong', { psych_safety: score(6.1, 'above', 0.03) }),
        teamRow('t-quiet', 'Quiet', { psych_safety: { status: 'suppressed', reason: 'below-k' } }, null),
      ],
    },
    'trust-equation': {
      ...base,
      instrument: 'trust-equation',
      dimensions: TRUST_DIMS,
      rows: [
        rootRow(trust(5.5, 5.3, 5.2, 5.1, 2.9)),
        teamRow('t-falls', 'Falls', trust(5.2, 5.2, 5.0, 4.9, 3.0)),
        teamRow('t-steady', 'Steady', trust(4.6, 5.0, 4.8, 5.0, 3.4, { self_orientation: 'above' })),
        teamRow('t-strong', 'Strong', trust(7.2, 6.0, 5.9, 5.8, 2.3)),
        teamRow(
          't-quiet',
          'Quiet',
          Object.fromEntries(
            TRUST_DIMS.map((d) => [d.id, { status: 'suppressed', reason: 'below-k' } as Score]),
          ),
          null,
        ),
      ],
    },
  };
}

/** The teams' trends: Falls dropped significantly in its latest cycle (the comparison's cycle). */
export function overviewTrends(): Map<string, TeamTrendResponse> {
  const falls = [
    point(2, { psych_safety: released(5.9, 5.5, 6.3, 8) }),
    {
      ...point(3, { psych_safety: released(4.3, 4.0, 4.6, 8, change(-1.6, 0.0004, true)) }),
      cycleId: 'c-t-falls',
    },
  ];
  return new Map(
    Object.entries({
      't-falls:psych-safety': trendResponse('psych-safety', falls),
      't-falls:trust-equation': trendResponse('trust-equation', []),
      't-steady:psych-safety': trendResponse('psych-safety', [
        { ...point(3, { psych_safety: released(5.1, 4.8, 5.4, 8) }), cycleId: 'c-t-steady' },
      ]),
      't-steady:trust-equation': trendResponse('trust-equation', []),
      't-strong:psych-safety': trendResponse('psych-safety', []),
      't-strong:trust-equation': trendResponse('trust-equation', []),
      // Quiet has 4 people and k = 5.
      't-quiet:psych-safety': trendResponse('psych-safety', [point(3, {}, { invited: 4, k: 5, n: 3 })]),
      't-quiet:trust-equation': trendResponse('trust-equation', []),
    }),
  );
}
