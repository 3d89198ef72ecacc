/** A group comparison as the API returns it: a reference group, a subgroup and teams. */
import type { ComparisonRow, GroupComparisonResponse, GroupTrendResponse } from '@candor/contracts';

type Score = ComparisonRow['scores'][string];

export const cellOf = (mean: number, n: number, flag: 'above' | 'below' | 'none' | null, q = 0.04): Score =>
  ({
    status: 'released',
    n,
    mean,
    lower: mean - 0.3,
    upper: mean + 0.3,
    test: flag === null ? null : { delta: flag === 'below' ? -0.6 : 0.6, p: 0.01, q, flag },
  }) as Score;

const row = (
  kind: 'group' | 'team',
  id: string,
  name: string,
  parentId: string | null,
  depth: number,
  score: Score,
  n: number | null,
): ComparisonRow => ({
  kind,
  id,
  name,
  parentId,
  depth,
  cycleId: kind === 'team' ? `cycle-${id}` : null,
  participation:
    n === null
      ? { status: 'suppressed', reason: 'below-k' }
      : { status: 'released', n, invited: n + 2, rate: n / (n + 2) },
  scores: { psych_safety: score },
});

export function comparison(period = '2025-03'): GroupComparisonResponse {
  return {
    group: { id: 'g-root', name: 'Product' },
    instrument: 'psych-safety',
    period,
    final: true,
    k: 5,
    fdr: 0.1,
    dimensions: [{ id: 'psych_safety', label: 'Psychological safety', min: 1, max: 7 }],
    rows: [
      row('group', 'g-root', 'Product', null, 0, cellOf(5.2, 40, null), 40),
      row('group', 'g-sub', 'Payments', 'g-root', 1, { status: 'suppressed', reason: 'would-reveal' }, null),
      row('team', 't-zeta', 'Zeta', 'g-sub', 2, cellOf(6.1, 8, 'above'), 8),
      row('team', 't-alpha', 'Alpha', 'g-sub', 2, cellOf(4.4, 9, 'below'), 9),
      row('team', 't-mid', 'Middle', 'g-root', 1, cellOf(5.3, 7, 'none', 0.6), 7),
      row('team', 't-tiny', 'Tiny', 'g-root', 1, { status: 'suppressed', reason: 'below-k' }, null),
    ],
  };
}

/** Every period final unless listed in `open` (the month can still change). */
export function groupTrend(periods: string[], open: string[] = []): GroupTrendResponse {
  return {
    group: { id: 'g-root', name: 'Product' },
    instrument: 'psych-safety',
    dimensions: [{ id: 'psych_safety', label: 'Psychological safety', min: 1, max: 7 }],
    points: periods.map((period) => ({
      period,
      final: !open.includes(period),
      teams: 4,
      k: 5,
      participation: { status: 'released', n: 30, invited: 40, rate: 0.75 },
      scores: {},
    })),
  };
}
