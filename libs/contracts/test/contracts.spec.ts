import type {
  ActionItem,
  Band,
  Cell,
  CreateActionRequest,
  FavourableCell,
  GoodDirection,
  OutcomeVerdict,
  ScoreEstimate,
  TeamTrendResponse,
} from '@candor/contracts';
import { goodDirection, type Band as InstrumentsBand } from '@candor/instruments';
import type { OutcomeVerdict as StatsVerdict } from '@candor/stats';

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

describe('decision contracts (issue 13)', () => {
  it('a favourable share beside a mean is a cell of its own: suppressed carries no share', () => {
    const hidden: FavourableCell = { status: 'suppressed', reason: 'below-k' };
    // @ts-expect-error a suppressed favourable cell has no share
    const leaky: FavourableCell = { status: 'suppressed', reason: 'below-k', share: 0.8 };
    const shown: FavourableCell = { status: 'released', share: 0.75, answers: 56 };
    expect([hidden.status, leaky.status, shown.status]).toEqual(['suppressed', 'suppressed', 'released']);
  });

  it('the libraries’ verdicts, bands and directions are exactly the contracts’ (both ways)', () => {
    const verdicts: OutcomeVerdict[] = ['worked', 'no-change', 'worse', 'too-few-answers', 'waiting'];
    const fromStats: StatsVerdict[] = verdicts;
    const toContracts: OutcomeVerdict[] = fromStats;
    const bands: Band[] = ['strong', 'fine', 'needs-attention'];
    const fromInstruments: InstrumentsBand[] = bands;
    const direction: GoodDirection = goodDirection('self_orientation');
    expect([toContracts.length, fromInstruments.length, direction]).toEqual([5, 3, 'lower']);
  });

  it('older action shapes still type-check: every new action field is optional', () => {
    const old: ActionItem = {
      id: 'a',
      teamId: 't',
      dimension: 'psych_safety',
      text: 'x',
      date: '2026-01-05',
      createdAt: '2026-01-05T00:00:00.000Z',
    };
    const request: CreateActionRequest = { dimension: 'psych_safety', text: 'x', date: '2026-01-05' };
    expect([old.status, request.status]).toEqual([undefined, undefined]);
  });
});
