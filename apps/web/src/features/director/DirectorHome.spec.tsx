import { configure, fireEvent, screen, within } from '@testing-library/react';
import { FakeCandorApi, demoUser, type CycleKeys } from '../../../test/fake-api';
import { groupTrend } from '../../../test/comparison-fixtures';
import { overviewResponse } from '../../../test/overview-fixtures';
import { renderRoute } from '../../../test/render';
import { HomePage } from '../home/HomePage';

configure({ asyncUtilTimeout: 5_000 });
jest.setTimeout(30_000);

const director = { ...demoUser, teams: [], directorOf: [{ id: 'g-root', name: 'Product' }] };
let api: FakeCandorApi;

beforeEach(() => {
  api = new FakeCandorApi({} as CycleKeys);
  api.user = director;
  globalThis.fetch = jest.fn(api.fetch);
  api.fixtures['GET /api/groups/g-root/trend?instrument=psych-safety&months=24'] = groupTrend([
    '2025-02',
    '2025-03',
  ]);
  api.fixtures['GET /api/groups/g-root/overview?period=2025-03'] = overviewResponse('2025-03');
});

const renderHome = () => renderRoute(<HomePage />, { url: '/', path: '/', user: director });

describe('the director’s home', () => {
  it('names the team with the significant drop and its dimension first, before any empty state', async () => {
    renderHome();
    const where = await screen.findByRole('region', { name: 'Where to look' });
    const [first] = within(where).getAllByRole('listitem');
    expect(first).toHaveTextContent(/^Falls\s*Needs attention\s*Psychological safety fell 1\.60 to 4\.30/);
    expect(within(first!).getByRole('link', { name: 'Falls' })).toHaveAttribute('href', '/teams/t-falls');
    expect(where).toHaveTextContent('Steady');
    expect(where).toHaveTextContent('Self-orientation 3.40: worse than the rest of the group');
    expect(where).toHaveTextContent('Quiet');
    expect(where).toHaveTextContent('the team has fewer people than k, so it can never show results');
    // A director on no team with nothing to answer sees no "not on a team" or "nothing to answer" boxes.
    expect(screen.queryByText('You are not on a team yet')).not.toBeInTheDocument();
    expect(screen.queryByText('Nothing to answer right now')).not.toBeInTheDocument();
  });

  it('shows every dimension of both surveys in one grid, worst first, colours by band, details on demand', async () => {
    renderHome();
    const grid = await screen.findByRole('table', { name: /every team by every dimension of both surveys/ });
    const headers = within(grid)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual([
      'Team',
      'Psychological safety',
      'Trust index',
      'Credibility',
      'Reliability',
      'Intimacy',
      'Self-orientationlower is better',
    ]);
    const teams = within(grid)
      .getAllByRole('rowheader')
      .slice(1)
      .map((h) => within(h).getByRole('link').textContent);
    expect(teams).toEqual(['Falls', 'Steady', 'Strong', 'Quiet']);
    const falls = within(grid).getAllByRole('row')[2]!;
    const fallsPsych = within(falls).getAllByRole('cell')[0]!;
    expect(fallsPsych).toHaveAttribute('data-band', 'needs-attention');
    expect(fallsPsych).toHaveAttribute('data-vs-rest', 'worse');
    expect(fallsPsych).toHaveTextContent('−1.60 since last pulse');
    // The API's favourable share beside the mean (43/70 ≈ 61 %); none for the trust index.
    expect(fallsPsych).toHaveTextContent('61% favourable');
    expect(within(falls).getAllByRole('cell')[1]).not.toHaveTextContent('favourable');
    // Self-orientation above the rest is worse; psychological safety above the rest is better.
    const steady = within(grid).getAllByRole('row')[3]!;
    expect(within(steady).getAllByRole('cell')[5]).toHaveAttribute('data-vs-rest', 'worse');
    const strong = within(grid).getAllByRole('row')[4]!;
    expect(within(strong).getAllByRole('cell')[0]).toHaveAttribute('data-vs-rest', 'better');
    // No p or q values until asked for.
    expect(grid).not.toHaveTextContent(/q = /);
    fireEvent.click(screen.getByLabelText(/Show details/));
    expect(fallsPsych).toHaveTextContent('4.00–4.60 · n = 8 · −0.70 vs rest, q = 0.040');
  });

  it('sorts a column by favourability: the worst self-orientation (the highest) first, then best first', async () => {
    renderHome();
    const grid = await screen.findByRole('table', { name: /every team by every dimension/ });
    const order = () =>
      within(grid)
        .getAllByRole('rowheader')
        .slice(1)
        .map((h) => within(h).getByRole('link').textContent);
    fireEvent.click(within(grid).getByRole('button', { name: 'Self-orientation' }));
    expect(order()).toEqual(['Steady', 'Falls', 'Strong', 'Quiet']);
    fireEvent.click(within(grid).getByRole('button', { name: /Self-orientation/ }));
    expect(order()).toEqual(['Strong', 'Falls', 'Steady', 'Quiet']);
  });

  it('shows per team the comment count of its latest closed pulse of each survey, or why not, and never text', async () => {
    api.fixtures['GET /api/groups/g-root/comment-counts'] = {
      groupId: 'g-root',
      teams: [
        {
          id: 't-falls',
          name: 'Falls',
          cycles: [
            {
              instrument: 'psych-safety@1',
              cycleId: 'c1',
              closesOn: '2025-03-14',
              kComments: 5,
              count: { status: 'released', count: 3 },
            },
            {
              instrument: 'trust-equation@1',
              cycleId: 'c2',
              closesOn: '2025-03-21',
              kComments: 6,
              count: { status: 'suppressed', reason: 'below-k-comments' },
            },
          ],
        },
        {
          id: 't-steady',
          name: 'Steady',
          cycles: [
            {
              instrument: 'psych-safety@1',
              cycleId: 'c3',
              closesOn: '2025-03-07',
              kComments: 5,
              count: { status: 'released', count: 1 },
            },
          ],
        },
        { id: 't-new', name: 'Brand new', cycles: [] },
      ],
    };
    renderHome();
    const card = await screen.findByRole('region', { name: 'Product: comments' });
    const table = await within(card).findByRole('table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Team', 'Psychological safety', 'Trust']);
    const row = (name: string) => within(table).getByRole('rowheader', { name }).closest('tr')!;
    expect(row('Falls')).toHaveTextContent('3 comments');
    expect(row('Falls')).toHaveTextContent(
      'comments not shown (fewer people took part than the comment threshold; k for comments = 6)',
    );
    expect(row('Steady')).toHaveTextContent('1 comment ·');
    expect(row('Steady')).toHaveTextContent('no closed pulse');
    expect(within(table).queryByRole('rowheader', { name: 'Brand new' })).not.toBeInTheDocument();
    expect(card).toHaveTextContent('only the team’s leads read the text');
  });
});
