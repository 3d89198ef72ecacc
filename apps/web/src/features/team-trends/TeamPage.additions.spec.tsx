import type { ItemBreakdownResponse, PooledTrendResponse, TrendAction } from '@candor/contracts';
import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { FakeCandorApi, demoUser, type CycleKeys } from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import { change, point, released, suppressed, trendResponse } from '../../../test/trend-fixtures';
import { formatDate } from '../../lib/format';
import TeamPage from './TeamPage';

// The page draws several Recharts charts in jsdom: on a machine busy with other test runs that
// takes longer than testing-library's default 1 s wait.
configure({ asyncUtilTimeout: 5_000 });
jest.setTimeout(30_000);

const keys = {} as CycleKeys;
let api: FakeCandorApi;

beforeEach(() => {
  api = new FakeCandorApi(keys);
  globalThis.fetch = jest.fn(api.fetch);
});

const renderTeam = (teamId = 'team-1') =>
  renderRoute(<TeamPage />, { url: `/teams/${teamId}`, path: '/teams/:teamId', user: demoUser });

function items(cycleId: string, overrides: Partial<ItemBreakdownResponse> = {}): ItemBreakdownResponse {
  return {
    team: { id: 'team-1', name: 'Platform' },
    instrument: 'psych-safety',
    cycle: {
      cycleId,
      opensAt: '2025-03-03T09:00:00.000Z',
      closesAt: '2025-03-17T17:00:00.000Z',
      k: 5,
      invited: 12,
    },
    participation: { status: 'released', n: 11, invited: 12, rate: 11 / 12 },
    distributionMinimum: 10,
    scaleLabels: ['SD', 'D', 'sD', 'N', 'sA', 'A', 'SA'],
    items: [
      {
        itemId: 'ps1',
        text: 'If I make a mistake on this team, it is often held against me.',
        reverse: true,
        dimension: 'psych_safety',
        score: { status: 'released', n: 11, mean: 5.36, lower: 4.91, upper: 5.82 },
        distribution: { status: 'released', counts: [0, 1, 0, 1, 3, 4, 2] },
      },
      {
        itemId: 'ps2',
        text: 'People on this team are able to bring up problems and tough issues.',
        reverse: false,
        dimension: 'psych_safety',
        score: { status: 'suppressed', reason: 'below-k' },
        distribution: { status: 'suppressed', reason: 'below-k' },
      },
    ],
    ...overrides,
  };
}

describe('TeamPage: summary, statements, actions, pooled view', () => {
  it('summarises in plain words, without p-values: where the team stands, what really changed, where to start', async () => {
    const march = point(3, { psych_safety: released(4.8, 4.4, 5.2, 8) });
    const april = point(4, { psych_safety: released(5.2, 4.9, 5.5, 8, change(0.4, 0.012, true)) });
    api.trends['team-1:psych-safety'] = trendResponse('psych-safety', [march, april]);
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', [
      point(3, { trust_index: released(6, 5, 7, 7), self_orientation: released(3.1, 2.7, 3.5, 7) }),
      point(4, {
        trust_index: released(6.3, 5.3, 7.3, 7, { ...change(0.3, 0.4, false), direction: 'none' }),
        // Self-orientation rose: lower is better, so this is a real change for the worse.
        self_orientation: released(4.2, 3.8, 4.6, 7, change(1.1, 0.003, true)),
      }),
    ]);
    api.fixtures[`GET /api/teams/team-1/cycles/${april.cycleId}/items`] = items(april.cycleId);
    renderTeam();
    const summary = await screen.findByRole('region', { name: 'In short' });
    await within(summary).findByText('Where the team stands');
    expect(summary).not.toHaveTextContent(/p = |p < /);
    const standings = within(summary)
      .getAllByRole('listitem')
      .filter((li) => li.className === 'standings__item');
    expect(standings.map((li) => li.textContent)).toEqual([
      'Psychological safetyFine5.20 of 7',
      'Trust indexFine6.30',
      'Self-orientationNeeds attention4.20 of 7 (lower is better)',
    ]);
    const changes = [...summary.querySelectorAll('.summary__item')];
    expect(changes.map((c) => c.textContent)).toEqual([
      `Self-orientation rose 1.10 since ${formatDate(march.closesAt)} (now 4.20): a real change for the worse.`,
      `Psychological safety rose 0.40 since ${formatDate(march.closesAt)} (now 5.20): a real change for the better.`,
    ]);
    expect(changes[0]).toHaveClass('summary__item--worse');
    expect(summary).toHaveTextContent('Everything else stayed within normal variation.');
    // Where to start: the least favourable dimension with plays (self-orientation at 4.20 mirrors to 3.80).
    expect(within(summary).getByText('Where to start').parentElement).toHaveTextContent(
      /Self-orientation is the team’s least favourable result \(4\.20, Needs attention; lower is better\)/,
    );
    const plays = within(summary).getByRole('list', { name: 'Plays to try' });
    expect(
      within(plays)
        .getAllByRole('heading')
        .map((h) => h.textContent),
    ).toEqual([
      'Give credit by name',
      'Put the team’s goal before your own',
      'Ask before you assert',
      'Change your mind on evidence',
    ]);
  });

  it('lets a lead start a play in two clicks: it is recorded with an owner, a due date and “doing”', async () => {
    const points = [point(1, { psych_safety: released(4.2, 3.8, 4.6, 8) })];
    api.trends['team-1:psych-safety'] = trendResponse('psych-safety', points);
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', []);
    api.fixtures[`GET /api/teams/team-1/cycles/${points[0]!.cycleId}/items`] = items(points[0]!.cycleId);
    renderTeam();
    const summary = await screen.findByRole('region', { name: 'In short' });
    fireEvent.click(
      await within(summary).findByRole('button', { name: 'Start this play: Frame the work as learning' }),
    );
    fireEvent.click(within(summary).getByRole('button', { name: 'Start' }));
    expect(await within(summary).findByText(/Started “Frame the work as learning”/)).toBeInTheDocument();
    const post = api.requests.find((r) => r.method === 'POST' && r.path === '/api/teams/team-1/actions')!;
    const today = new Date().toISOString().slice(0, 10);
    expect(post.body).toEqual({
      dimension: 'psych_safety',
      text: 'Frame the work as learning',
      date: today,
      playKey: 'psych_safety/frame-as-learning@1',
      ownerId: demoUser.id,
      dueDate: new Date(Date.parse(`${today}T00:00:00Z`) + 28 * 86_400_000).toISOString().slice(0, 10),
      status: 'doing',
    });
    // It is now an action of the team, and the play says it is under way.
    const actions = await screen.findByRole('region', { name: 'Actions' });
    await within(actions).findByText('Frame the work as learning');
    expect(actions).toHaveTextContent(`owner ${demoUser.name}`);
    expect(await within(summary).findByText('Under way')).toBeInTheDocument();
  });

  it('shows a member the plays but no way to start them, and the actions without controls', async () => {
    const points = [point(1, { psych_safety: released(4.2, 3.8, 4.6, 8) })];
    api.trends['team-2:psych-safety'] = trendResponse('psych-safety', points);
    api.trends['team-2:trust-equation'] = trendResponse('trust-equation', []);
    api.fixtures[`GET /api/teams/team-2/cycles/${points[0]!.cycleId}/items`] = items(points[0]!.cycleId);
    api.actions['team-2'] = [
      {
        id: 'x',
        teamId: 'team-2',
        dimension: 'psych_safety',
        text: 'Retro rotation',
        date: '2025-01-10',
        createdAt: '2025-01-10T10:00:00.000Z',
        playKey: null,
        owner: { id: 'u2', name: 'Grace Hopper' },
        dueDate: '2025-02-01',
        status: 'doing',
      },
    ];
    renderTeam('team-2');
    const summary = await screen.findByRole('region', { name: 'In short' });
    await within(summary).findByRole('list', { name: 'Plays to try' });
    expect(within(summary).queryByRole('button', { name: /Start this play/ })).not.toBeInTheDocument();
    const actions = await screen.findByRole('region', { name: 'Actions' });
    await within(actions).findByText('Retro rotation');
    expect(actions).toHaveTextContent('owner Grace Hopper');
    expect(within(actions).getByText('overdue')).toBeInTheDocument();
    expect(within(actions).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Log an action' })).not.toBeInTheDocument();
  });

  it('tells whether each action worked, reading the good direction; a lead updates its status', async () => {
    const points = [
      point(1, { self_orientation: released(4.1, 3.8, 4.4, 8), trust_index: released(4, 3.5, 4.5, 8) }),
      point(2, {
        self_orientation: released(3.0, 2.7, 3.3, 8, change(-1.1, 0.002, true)),
        trust_index: released(5, 4.5, 5.5, 8),
      }),
      point(3, { self_orientation: suppressed(), trust_index: suppressed() }),
    ];
    const base = {
      teamId: 'team-1',
      createdAt: '2025-01-20T10:00:00.000Z',
      playKey: null,
      owner: null,
      dueDate: null,
    };
    const worked: TrendAction = {
      ...base,
      id: 'worked',
      dimension: 'self_orientation',
      text: 'Give credit by name',
      date: '2025-02-01',
      status: 'doing',
      beforeCycleId: points[0]!.cycleId,
      afterCycleId: points[1]!.cycleId,
      change: change(-1.1, 0.002, true),
    };
    const tooFew: TrendAction = {
      ...base,
      id: 'few',
      dimension: 'self_orientation',
      text: 'Ask before you assert',
      date: '2025-03-01',
      status: 'planned',
      beforeCycleId: points[1]!.cycleId,
      afterCycleId: null,
      change: null,
    };
    api.trends['team-1:psych-safety'] = trendResponse('psych-safety', []);
    api.trends['team-1:trust-equation'] = {
      ...trendResponse('trust-equation', points),
      actions: [worked, tooFew],
    };
    api.actions['team-1'] = [worked, tooFew].map(
      ({ beforeCycleId: _b, afterCycleId: _a, change: _c, ...a }) => a,
    );
    renderTeam();
    const actions = await screen.findByRole('region', { name: 'Actions' });
    const workedRow = (await within(actions).findByText('Give credit by name')).closest('li')!;
    expect(within(workedRow).getByText('It worked')).toBeInTheDocument();
    expect(workedRow).toHaveTextContent('Self-orientation −1.10 from the pulse before to the pulse after.');
    const fewRow = within(actions).getByText('Ask before you assert').closest('li')!;
    expect(within(fewRow).getByText('Too few answers to tell')).toBeInTheDocument();

    fireEvent.click(
      within(workedRow).getByRole('button', {
        name: 'Update status, owner or due date of “Give credit by name”',
      }),
    );
    fireEvent.change(within(workedRow).getByLabelText('Status'), { target: { value: 'done' } });
    fireEvent.click(within(workedRow).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(within(workedRow).getByText('Done')).toBeInTheDocument());
    const patch = api.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.path).toBe('/api/teams/team-1/actions/worked');
    expect(patch.body).toEqual({ status: 'done', ownerId: null, dueDate: null });
  });

  it('lists the latest cycle’s statements with mean, interval, n and answer counts; suppressed ones carry no number', async () => {
    const latest = point(3, { psych_safety: released(5.4, 5, 5.8, 11) }, { n: 11, invited: 12 });
    api.trends['team-1:psych-safety'] = trendResponse('psych-safety', [
      point(2, { psych_safety: released(5, 4.5, 5.5, 9) }),
      latest,
    ]);
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', []);
    api.fixtures[`GET /api/teams/team-1/cycles/${latest.cycleId}/items`] = items(latest.cycleId);
    renderTeam();
    const table = await screen.findByRole('table', { name: /Psychological safety: mean per statement/ });
    const [first, second] = within(table).getAllByRole('row').slice(1);
    expect(first).toHaveTextContent('held against me. (reversed)');
    expect(first).toHaveTextContent('5.36');
    expect(first).toHaveTextContent('4.91–5.82');
    expect(first).toHaveTextContent('11');
    expect(first).toHaveTextContent('1: 02: 13: 04: 15: 36: 47: 2');
    expect(second).toHaveTextContent('Suppressed (n < k)');
    expect(second.textContent).not.toMatch(/\d\.\d\d/);
    expect(screen.getByText(/Latest closed cycle/)).toHaveTextContent('n = 11 of 12 · k = 5');
  });

  it('draws actions on the time axis and lists each with its before/after change', async () => {
    const points = [
      point(1, { psych_safety: released(4.6, 4.1, 5.1, 8) }),
      point(2, { psych_safety: released(4.7, 4.2, 5.2, 8) }),
      point(3, { psych_safety: released(5.5, 5.1, 5.9, 8, change(0.8, 0.01, true)) }),
    ];
    const action: TrendAction = {
      id: 'a1',
      teamId: 'team-1',
      dimension: 'psych_safety',
      text: 'Blameless post-mortems',
      date: '2025-02-20',
      createdAt: '2025-02-20T10:00:00.000Z',
      beforeCycleId: points[1]!.cycleId,
      afterCycleId: points[2]!.cycleId,
      change: change(0.8, 0.01, true),
    };
    api.trends['team-1:psych-safety'] = { ...trendResponse('psych-safety', points), actions: [action] };
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', []);
    api.fixtures[`GET /api/teams/team-1/cycles/${points[2]!.cycleId}/items`] = items(points[2]!.cycleId);
    renderTeam();
    const psych = await screen.findByRole('region', { name: 'Psychological safety' });
    const list = await within(psych).findByText('Actions on this chart');
    const entry = within(list.parentElement!).getByRole('listitem');
    expect(entry).toHaveTextContent('A1');
    expect(entry).toHaveTextContent('Blameless post-mortems');
    expect(entry).toHaveTextContent(/Before → after: \+0\.80 from .+ to .+ \(p = 0\.010, significant\)/);
    expect(within(psych).getByRole('list', { name: 'Legend' })).toHaveTextContent('Team action');
  });

  it('offers a lead the pooled view when cycles were suppressed, labelled as pooled', async () => {
    const points = [
      point(1, { psych_safety: suppressed() }, { n: 3 }),
      point(2, { psych_safety: released(5, 4.5, 5.5, 5) }, { n: 5 }),
      point(3, { psych_safety: suppressed() }, { n: 4 }),
    ];
    api.trends['team-1:psych-safety'] = trendResponse('psych-safety', points);
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', []);
    api.fixtures[`GET /api/teams/team-1/cycles/${points[2]!.cycleId}/items`] = items(points[2]!.cycleId);
    const pooled = (size: number): PooledTrendResponse => ({
      team: { id: 'team-1', name: 'Platform' },
      instrument: 'psych-safety',
      poolSize: size,
      dimensions: [{ id: 'psych_safety', label: 'Psychological safety', min: 1, max: 7 }],
      points: [
        {
          pooled: true,
          cycleIds: points.slice(0, size).map((p) => p.cycleId),
          from: points[0]!.opensAt,
          to: points[size - 1]!.closesAt,
          k: 5,
          invited: 9 * size,
          participation: { status: 'released', n: 12, invited: 9 * size, rate: 12 / (9 * size) },
          scores: {
            psych_safety: {
              status: 'released',
              n: 12,
              mean: 4.87,
              lower: 4.5,
              upper: 5.24,
              change: null,
              designEffect: 1.69,
            },
          },
        },
      ],
      pendingCycles: 3 - size,
    });
    // The API fixes the block size per team; there is nothing to choose.
    api.fixtures['GET /api/teams/team-1/trend/pooled?instrument=psych-safety'] = pooled(2);
    renderTeam();
    const section = await screen.findByRole('region', { name: 'Pooled view' });
    const headline = await within(section).findByText(/^latest/, { selector: '.figure__latest-detail' });
    expect(headline).toHaveTextContent('95% interval 4.50–5.24 · n = 12 of 18 · k = 5');
    expect(
      within(section).getByRole('heading', { name: 'Psychological safety, pooled over 2 cycles' }),
    ).toBeInTheDocument();
    expect(section).toHaveTextContent('Team mean pooled over 2 consecutive cycles');
    expect(within(section).queryByRole('combobox')).not.toBeInTheDocument();
    expect(section).toHaveTextContent('1 newer closed cycle is waiting for their block to complete.');
    // The API's design effect, in words: √1.69 = 1.3.
    expect(section).toHaveTextContent(
      'up to 1.30× as wide as if every answer came from someone else (design effect 1.69)',
    );
  });

  it('lets a lead log an action with owner, due date and status (sent with the CSRF header) and reloads the trend', async () => {
    const points = [point(1, { psych_safety: released(5, 4.5, 5.5, 8) })];
    api.trends['team-1:psych-safety'] = trendResponse('psych-safety', points);
    api.trends['team-1:trust-equation'] = trendResponse('trust-equation', []);
    api.fixtures[`GET /api/teams/team-1/cycles/${points[0]!.cycleId}/items`] = items(points[0]!.cycleId);
    renderTeam();
    const form = await screen.findByRole('region', { name: 'Log an action' });
    fireEvent.change(within(form).getByLabelText('Measure'), { target: { value: 'trust_index' } });
    fireEvent.change(within(form).getByLabelText('Start date'), { target: { value: '2025-05-01' } });
    fireEvent.change(within(form).getByLabelText('Due'), { target: { value: '2025-05-29' } });
    fireEvent.change(within(form).getByLabelText('What the team will do'), {
      target: { value: ' Weekly demo ' },
    });
    const trendLoads = () =>
      api.requests.filter((r) => r.path.includes('/trend?instrument=psych-safety')).length;
    const before = trendLoads();
    fireEvent.click(within(form).getByRole('button', { name: 'Log action' }));
    expect(await within(form).findByText(/Logged: “Weekly demo”/)).toBeInTheDocument();
    const post = api.requests.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({
      dimension: 'trust_index',
      date: '2025-05-01',
      text: 'Weekly demo',
      playKey: null,
      ownerId: demoUser.id,
      dueDate: '2025-05-29',
      status: 'doing',
    });
    expect((post.init.headers as Record<string, string>)['X-Requested-With']).toBe('candor');
    await waitFor(() => expect(trendLoads()).toBeGreaterThan(before));
  });
});
