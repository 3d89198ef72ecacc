import type { Cell, ScoreEstimate, TeamTrendResponse } from '@candor/contracts';

/**
 * Contracts are types (and the CSV cell rules, tested in csv.spec.ts); this checks at compile time (tsc runs over tests) and at run time that
 * a suppressed cell cannot carry numbers and a released one must.
 */
describe('contracts', () => {
  it('types a suppressed cell without any number', () => {
    const suppressed: Cell<ScoreEstimate> = { status: 'suppressed', reason: 'below-k' };
    // @ts-expect-error a suppressed cell has no mean
    const leaky: Cell<ScoreEstimate> = { status: 'suppressed', reason: 'below-k', mean: 4 };
    expect(Object.keys(suppressed)).toEqual(['status', 'reason']);
    expect(leaky.status).toBe('suppressed');
  });

  it('requires n, mean and the interval on a released cell', () => {
    // @ts-expect-error a released cell needs n, mean, lower, upper and change
    const incomplete: Cell<ScoreEstimate> = { status: 'released', mean: 4 };
    const trend: Pick<TeamTrendResponse, 'points'> = { points: [] };
    expect(incomplete.status).toBe('released');
    expect(trend.points).toEqual([]);
  });
});
