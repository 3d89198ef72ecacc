/**
 * The director's overview as the API returns it (`GET /api/groups/:groupId/overview`): four teams
 * of one group, worst first, and the where-to-look list.
 *
 * Falls: psychological safety 4.3, a significant drop since its previous cycle.
 * Steady: fine everywhere; self-orientation significantly ABOVE the rest — which is worse.
 * Strong: strong everywhere. Quiet: 4 people with k = 5, no result.
 */
import type { Change, GroupOverviewResponse, OverviewDimension, OverviewRow } from '@candor/contracts';
import { bandOf } from '@candor/instruments';

type Cell = OverviewRow['scores'][string];

const change = (delta: number): Change => ({
  delta,
  p: 0.0004,
  mdc: 0.4,
  significant: true,
  direction: 'down',
});

const est = (
  id: string,
  mean: number,
  flag: 'above' | 'below' | 'none' = 'none',
  q = 0.5,
  moved: Change | null = null,
): Cell => ({
  status: 'released',
  n: 8,
  mean,
  lower: mean - 0.3,
  upper: mean + 0.3,
  band: bandOf(id, mean),
  test: { delta: flag === 'below' ? -0.7 : flag === 'above' ? 0.7 : 0.1, p: 0.01, q, flag },
  change: moved,
  // The trust index has no favourable share; other cells: a share that follows the mean.
  ...(id === 'trust_index'
    ? {}
    : { favourable: { status: 'released', share: Math.round(mean * 10) / 70, answers: 56 } }),
});

const DIMENSIONS: OverviewDimension[] = [
  {
    id: 'psych_safety',
    label: 'Psychological safety',
    min: 1,
    max: 7,
    instrument: 'psych-safety',
    goodDirection: 'higher',
  },
  {
    id: 'trust_index',
    label: 'Trust index',
    min: 3 / 7,
    max: 21,
    instrument: 'trust-equation',
    goodDirection: 'higher',
  },
  {
    id: 'credibility',
    label: 'Credibility',
    min: 1,
    max: 7,
    instrument: 'trust-equation',
    goodDirection: 'higher',
  },
  {
    id: 'reliability',
    label: 'Reliability',
    min: 1,
    max: 7,
    instrument: 'trust-equation',
    goodDirection: 'higher',
  },
  {
    id: 'intimacy',
    label: 'Intimacy',
    min: 1,
    max: 7,
    instrument: 'trust-equation',
    goodDirection: 'higher',
  },
  {
    id: 'self_orientation',
    label: 'Self-orientation',
    min: 1,
    max: 7,
    instrument: 'trust-equation',
    goodDirection: 'lower',
  },
];

const trust = (
  index: number,
  c: number,
  r: number,
  i: number,
  s: number,
  soFlag: 'above' | 'none' = 'none',
) => ({
  trust_index: est('trust_index', index),
  credibility: est('credibility', c),
  reliability: est('reliability', r),
  intimacy: est('intimacy', i),
  self_orientation: est('self_orientation', s, soFlag, 0.02),
});

const released = { status: 'released', n: 8, invited: 10, rate: 0.8 } as const;

function row(teamId: string, name: string, scores: Record<string, Cell>, quiet = false): OverviewRow {
  const status = (cycle: string, noResults: OverviewRow['instruments']['psych-safety']['noResults']) => ({
    cycleId: quiet ? null : cycle,
    participation: quiet ? ({ status: 'suppressed', reason: 'below-k' } as const) : released,
    noResults,
  });
  return {
    teamId,
    name,
    groupId: 'g-root',
    groupName: 'Product',
    instruments: {
      'psych-safety': status(`c-${teamId}`, quiet ? 'smaller-than-k' : null),
      'trust-equation': status(`c-${teamId}-trust`, quiet ? 'no-cycle' : null),
    },
    scores,
  };
}

export function overviewResponse(period = '2025-03'): GroupOverviewResponse {
  const none = Object.fromEntries(
    DIMENSIONS.map((d) => [d.id, { status: 'suppressed', reason: 'below-k' } as Cell]),
  );
  const falls = row('t-falls', 'Falls', {
    psych_safety: est('psych_safety', 4.3, 'below', 0.04, change(-1.6)),
    ...trust(5.2, 5.2, 5.0, 4.9, 3.0),
  });
  const steady = row('t-steady', 'Steady', {
    psych_safety: est('psych_safety', 5.1),
    ...trust(4.6, 5.0, 4.8, 5.0, 3.4, 'above'),
  });
  const strong = row('t-strong', 'Strong', {
    psych_safety: est('psych_safety', 6.1, 'above', 0.03),
    ...trust(7.2, 6.0, 5.9, 5.8, 2.3),
  });
  const quiet = row('t-quiet', 'Quiet', none, true);
  const reference = (mean: number, id: string) =>
    ({
      status: 'released',
      n: 30,
      mean,
      lower: mean - 0.2,
      upper: mean + 0.2,
      band: bandOf(id, mean),
    }) as const;
  return {
    group: { id: 'g-root', name: 'Product' },
    period,
    k: 5,
    fdr: 0.1,
    dimensions: DIMENSIONS,
    reference: {
      psych_safety: reference(5.2, 'psych_safety'),
      trust_index: reference(5.5, 'trust_index'),
      credibility: reference(5.3, 'credibility'),
      reliability: reference(5.2, 'reliability'),
      intimacy: reference(5.1, 'intimacy'),
      self_orientation: reference(2.9, 'self_orientation'),
    },
    rows: [falls, steady, strong, quiet],
    attention: [
      {
        kind: 'significant-drop',
        teamId: 't-falls',
        teamName: 'Falls',
        instrument: 'psych-safety',
        dimension: 'psych_safety',
        mean: 4.3,
        band: 'needs-attention',
        change: change(-1.6),
        at: '2025-03-17T17:00:00.000Z',
      },
      {
        kind: 'below-group',
        teamId: 't-steady',
        teamName: 'Steady',
        instrument: 'trust-equation',
        dimension: 'self_orientation',
        mean: 3.4,
        band: bandOf('self_orientation', 3.4),
        test: { delta: 0.7, q: 0.02 },
      },
      {
        kind: 'no-results',
        teamId: 't-quiet',
        teamName: 'Quiet',
        instrument: 'psych-safety',
        dimension: null,
        reason: 'smaller-than-k',
      },
      {
        kind: 'no-results',
        teamId: 't-quiet',
        teamName: 'Quiet',
        instrument: 'trust-equation',
        dimension: null,
        reason: 'no-cycle',
      },
    ],
  };
}
