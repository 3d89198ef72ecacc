import type { ActionItem, TrendAction } from '@candor/contracts';
import { change, point, released, suppressed, trendResponse } from '../../../test/trend-fixtures';
import { actionViews, outcomeOf } from './action-outcome';
import { pooledAsTrendPoints } from './pooled';

const action = (id: string, date: string, extra: Partial<ActionItem> = {}): ActionItem => ({
  id,
  teamId: 'team-1',
  dimension: 'psych_safety',
  text: `Action ${id}`,
  date,
  createdAt: `${date}T10:00:00Z`,
  ...extra,
});

const onTrend = (base: ActionItem, extra: Partial<TrendAction> = {}): TrendAction => ({
  ...base,
  beforeCycleId: 'before',
  afterCycleId: 'after',
  change: change(0.6, 0.01, true),
  ...extra,
});

// Cycles open on the 3rd of months 1, 2 and 3 of 2025.
const trend = trendResponse('psych-safety', [
  point(1, { psych_safety: released(4.5, 4, 5, 7) }),
  point(2, { psych_safety: released(5.1, 4.6, 5.6, 7) }),
  point(3, { psych_safety: suppressed() }),
]);
const trust = trendResponse('trust-equation', [point(1, {})]);

describe('outcomeOf', () => {
  it('uses the verdict the API sent', () => {
    const sent = {
      verdict: 'worse' as const,
      beforeCycleId: 'x',
      afterCycleId: 'y',
      change: null,
      followUpsLeft: 1,
    };
    expect(outcomeOf(onTrend(action('a', '2025-01-10'), { outcome: sent }), trend)).toBe(sent);
  });

  it('calls a significant rise after the action "worked" for a higher-is-better dimension', () => {
    const outcome = outcomeOf(onTrend(action('a', '2025-01-10')), trend);
    expect(outcome).toMatchObject({ verdict: 'worked', beforeCycleId: 'before', afterCycleId: 'after' });
  });

  it('calls the same rise "worse" where lower is better (self-orientation)', () => {
    const so = trendResponse('trust-equation', [point(2, { self_orientation: released(3, 2.5, 3.5, 7) })]);
    const outcome = outcomeOf(onTrend(action('a', '2025-01-10', { dimension: 'self_orientation' })), so);
    expect(outcome?.verdict).toBe('worse');
  });

  it('waits while no cycle has opened since the action, and needs a baseline and a released cycle after', () => {
    expect(outcomeOf(onTrend(action('a', '2025-06-01')), trend)?.verdict).toBe('waiting');
    expect(outcomeOf(onTrend(action('a', '2025-01-10'), { beforeCycleId: null }), trend)?.verdict).toBe(
      'too-few-answers',
    );
    // After 3 March only the suppressed cycle of month 3 is left.
    expect(outcomeOf(onTrend(action('a', '2025-02-10')), trend)?.verdict).toBe('too-few-answers');
  });

  it('calls a change that is not significant "no change"', () => {
    const noChange = onTrend(action('a', '2025-01-10'), { change: change(0.6, 0.2, false) });
    expect(outcomeOf(noChange, trend)?.verdict).toBe('no-change');
  });

  it('has nothing to say for a dimension the trend does not show', () => {
    expect(outcomeOf(onTrend(action('a', '2025-01-10', { dimension: 'credibility' })), trend)).toBeNull();
  });
});

describe('actionViews', () => {
  it('lists the newest action first (ties by creation), each with its dimension from whichever trend has it', () => {
    const a = action('a', '2025-01-10');
    const b = action('b', '2025-02-10', { dimension: 'credibility' });
    const c = action('c', '2025-02-10', { createdAt: '2025-02-11T00:00:00Z' });
    const d = action('d', '2025-01-01', { dimension: 'unknown' });
    const views = actionViews([a, b, c, d], [{ ...trend, actions: [onTrend(a)] }, trust]);
    expect(views.map((v) => v.action.id)).toEqual(['c', 'b', 'a', 'd']);
    expect(views.map((v) => v.dimension?.label ?? null)).toEqual([
      'Psychological safety',
      'Credibility',
      'Psychological safety',
      null,
    ]);
    expect(views[2]!.outcome?.verdict).toBe('worked');
    expect(views[0]!.outcome).toBeNull(); // not drawn on the trend
  });

  it('works before the trends have loaded', () => {
    expect(actionViews([action('a', '2025-01-10')], [undefined, undefined])).toEqual([
      { action: action('a', '2025-01-10'), dimension: null, outcome: null },
    ]);
  });
});

describe('pooledAsTrendPoints', () => {
  it('draws each pool as one point spanning its cycles', () => {
    const scores = { psych_safety: released(5, 4.5, 5.5, 20) };
    const points = pooledAsTrendPoints({
      team: { id: 'team-1', name: 'Platform' },
      instrument: 'psych-safety',
      poolSize: 3,
      dimensions: [],
      pendingCycles: 1,
      points: [
        {
          pooled: true,
          cycleIds: ['c1', 'c2', 'c3'],
          from: '2025-01-03T09:00:00Z',
          to: '2025-03-17T17:00:00Z',
          k: 5,
          invited: 27,
          participation: { status: 'released', n: 20, invited: 27, rate: 20 / 27 },
          scores,
        },
      ],
    });
    expect(points).toEqual([
      {
        cycleId: 'c1+c2+c3',
        opensAt: '2025-01-03T09:00:00Z',
        closesAt: '2025-03-17T17:00:00Z',
        k: 5,
        invited: 27,
        participation: { status: 'released', n: 20, invited: 27, rate: 20 / 27 },
        scores,
      },
    ]);
  });
});
