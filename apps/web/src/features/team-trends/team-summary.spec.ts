import { change, point, released, suppressed, trendResponse } from '../../../test/trend-fixtures';
import { actionViews, outcomeOf } from './action-outcome';
import { summarizeTeam } from './team-summary';

describe('summarizeTeam', () => {
  it('calls a change real only when the API flagged it, better or worse by the good direction', () => {
    const summary = summarizeTeam([
      trendResponse('psych-safety', [
        point(1, { psych_safety: released(5, 4.6, 5.4, 8) }),
        point(2, {
          psych_safety: released(5.6, 5.2, 6, 8, { ...change(0.6, 0.2, false), direction: 'none' }),
        }),
      ]),
      trendResponse('trust-equation', [
        point(1, { self_orientation: released(3, 2.7, 3.3, 8), intimacy: released(5, 4.6, 5.4, 8) }),
        point(2, {
          self_orientation: released(2.2, 1.9, 2.5, 8, change(-0.8, 0.004, true)),
          intimacy: released(4.1, 3.7, 4.5, 8, change(-0.9, 0.003, true)),
        }),
      ]),
    ]);
    expect(summary.changes.map((c) => [c.dimension.id, c.tone])).toEqual([
      ['intimacy', 'worse'],
      ['self_orientation', 'better'],
    ]);
    expect(summary.steady.map((s) => s.dimension.id)).toEqual(['psych_safety']);
    // Intimacy 4.10 is the least favourable (self-orientation 2.20 mirrors to 5.80).
    expect(summary.focus!.standing.dimension.id).toBe('intimacy');
    expect(summary.focus!.standing.band).toBe('needs-attention');
    expect(summary.focus!.plays.map((p) => p.dimension)).toEqual([
      'intimacy',
      'intimacy',
      'intimacy',
      'intimacy',
    ]);
  });

  it('skips suppressed cycles: stands on the latest released one and says how many recent ones were hidden', () => {
    const summary = summarizeTeam([
      trendResponse('psych-safety', [
        point(1, { psych_safety: released(4.4, 4, 4.8, 8) }),
        point(2, { psych_safety: suppressed() }),
        point(3, { psych_safety: suppressed() }),
      ]),
      undefined,
    ]);
    expect(summary.standings.map((s) => [s.mean, s.band])).toEqual([[4.4, 'needs-attention']]);
    expect(summary.hiddenRecent).toBe(2);
    expect(summary.changes).toEqual([]);
  });

  it('has nothing to say, and no focus, before any cycle is released; never focuses on the trust index', () => {
    expect(
      summarizeTeam([trendResponse('psych-safety', [point(1, { psych_safety: suppressed() })])]),
    ).toMatchObject({
      standings: [],
      focus: null,
    });
    const onlyIndex = summarizeTeam([
      trendResponse('trust-equation', [point(1, { trust_index: released(2, 1.5, 2.5, 8) })]),
    ]);
    expect(onlyIndex.standings).toHaveLength(1);
    expect(onlyIndex.focus).toBeNull();
  });

  it('notices when everyone invited answered', () => {
    const summary = summarizeTeam([
      trendResponse('psych-safety', [
        point(1, { psych_safety: released(5.81, 5.81, 5.81, 9) }, { invited: 9 }),
      ]),
    ]);
    expect(summary.standings[0]!.everyoneAnswered).toBe(true);
  });
});

describe('action outcomes', () => {
  const points = [
    point(1, { psych_safety: released(4.2, 3.8, 4.6, 8) }),
    point(2, { psych_safety: released(5.4, 5, 5.8, 8, change(1.2, 0.001, true)) }),
  ];
  const trend = trendResponse('psych-safety', points);
  const action = {
    id: 'a',
    teamId: 't',
    dimension: 'psych_safety',
    text: 'x',
    createdAt: '2025-01-01T00:00:00.000Z',
  };

  it('applies the verdict rule to the trend’s change until the API sends an outcome', () => {
    const worked = outcomeOf(
      {
        ...action,
        date: '2025-02-01',
        beforeCycleId: points[0]!.cycleId,
        afterCycleId: points[1]!.cycleId,
        change: change(1.2, 0.001, true),
      },
      trend,
    );
    expect(worked!.verdict).toBe('worked');
    const waiting = outcomeOf(
      { ...action, date: '2025-06-01', beforeCycleId: points[1]!.cycleId, afterCycleId: null, change: null },
      trend,
    );
    expect(waiting!.verdict).toBe('waiting');
    const noBaseline = outcomeOf(
      { ...action, date: '2025-01-01', beforeCycleId: null, afterCycleId: points[0]!.cycleId, change: null },
      trend,
    );
    expect(noBaseline!.verdict).toBe('too-few-answers');
    const fromApi = outcomeOf(
      {
        ...action,
        date: '2025-02-01',
        beforeCycleId: null,
        afterCycleId: null,
        change: null,
        outcome: {
          verdict: 'no-change',
          beforeCycleId: null,
          afterCycleId: null,
          change: null,
          followUpsLeft: 2,
        },
      },
      trend,
    );
    expect(fromApi!.verdict).toBe('no-change');
  });

  it('lists actions newest first, each with its dimension from whichever trend draws it', () => {
    const trust = trendResponse('trust-equation', []);
    const views = actionViews(
      [
        { ...action, id: 'old', date: '2025-01-05' },
        { ...action, id: 'new', date: '2025-03-05', dimension: 'reliability' },
      ],
      [trend, trust],
    );
    expect(views.map((v) => [v.action.id, v.dimension?.id])).toEqual([
      ['new', 'reliability'],
      ['old', 'psych_safety'],
    ]);
  });
});
