import type { UserSummary } from '@candor/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { comparison, groupTrend } from '../../../test/comparison-fixtures';
import { FakeCandorApi, demoUser, type CycleKeys } from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import { point, released, suppressed, trendResponse } from '../../../test/trend-fixtures';
import ComparePage from './ComparePage';

jest.setTimeout(20_000);

const director: UserSummary = { ...demoUser, teams: [], directorOf: [{ id: 'g-root', name: 'Product' }] };
let api: FakeCandorApi;

beforeEach(() => {
  api = new FakeCandorApi({} as CycleKeys);
  api.fixtures['GET /api/groups/g-root/trend?instrument=psych-safety&months=24'] = groupTrend([
    '2025-02',
    '2025-03',
  ]);
  api.fixtures['GET /api/groups/g-root/comparison?instrument=psych-safety&period=2025-03'] =
    comparison('2025-03');
  api.fixtures['GET /api/groups/g-root/comparison?instrument=psych-safety&period=2025-02'] = {
    ...comparison('2025-02'),
    rows: comparison().rows.slice(0, 1),
  };
  for (const id of ['t-zeta', 't-alpha', 't-mid', 't-tiny']) {
    api.trends[`${id}:psych-safety`] = {
      ...trendResponse('psych-safety', [
        point(2, { psych_safety: released(5, 4.6, 5.4, 8) }),
        point(3, { psych_safety: id === 't-tiny' ? suppressed() : released(5.5, 5.1, 5.9, 8) }),
      ]),
      team: { id, name: id, groupName: 'Product' },
    };
  }
  globalThis.fetch = jest.fn(api.fetch);
});

const renderCompare = (url = '/compare') =>
  renderRoute(<ComparePage />, {
    url,
    path: '/compare',
    user: director,
    routes: [{ path: '/teams/:teamId', element: <p>Team page</p> }],
  });

const heatmap = () => screen.findByRole('table', { name: /Product: teams by dimension/ });
const rowNames = (table: HTMLElement) =>
  within(table)
    .getAllByRole('rowheader')
    .map((th) => th.textContent!.replace(/\s*\((whole group|group)\)/, ''));

describe('ComparePage', () => {
  it('defaults to the latest month and shows significant cells coloured, others plain, suppressed as suppressed', async () => {
    renderCompare();
    const table = await heatmap();
    expect(screen.getByLabelText('Month')).toHaveValue('2025-03');
    const cell = (team: string) =>
      within(within(table).getByRole('row', { name: new RegExp(`^${team}`) })).getAllByRole('cell')[0]!;
    expect(cell('Zeta')).toHaveAttribute('data-flag', 'above');
    expect(cell('Zeta')).toHaveTextContent('▲ 6.10');
    expect(cell('Zeta')).toHaveTextContent('BH q = 0.040');
    expect(cell('Alpha')).toHaveAttribute('data-flag', 'below');
    expect(cell('Alpha')).toHaveTextContent('▼ 4.40');
    expect(cell('Middle')).toHaveAttribute('data-flag', 'none');
    expect(cell('Middle')).toHaveTextContent('5.30');
    expect(cell('Middle')).not.toHaveTextContent(/[▲▼]/);
    expect(cell('Tiny')).toHaveAttribute('data-flag', 'suppressed');
    expect(cell('Tiny')).toHaveTextContent('Suppressed');
    expect(cell('Tiny').textContent).not.toMatch(/\d/);
    expect(table.querySelectorAll('[data-flag="above"], [data-flag="below"]')).toHaveLength(2);
    expect(screen.getByText(/2 significant cells/)).toBeInTheDocument();
  });

  it('sorts in the browser by a dimension or by name, and never sends a sort to the server', async () => {
    renderCompare();
    const table = await heatmap();
    fireEvent.click(within(table).getByRole('button', { name: /Psychological safety/ }));
    expect(rowNames(table)).toEqual(['Product', 'Zeta', 'Middle', 'Alpha', 'Payments', 'Tiny']);
    expect(within(table).getAllByRole('columnheader')[1]).toHaveAttribute('aria-sort', 'descending');
    fireEvent.click(within(table).getByRole('button', { name: /Team/ }));
    expect(rowNames(table)).toEqual(['Product', 'Alpha', 'Middle', 'Payments', 'Tiny', 'Zeta']);
    expect(api.requests.every((r) => !/sort/i.test(r.path))).toBe(true);
  });

  it('changes period through the picker and offers the API CSV of what is shown', async () => {
    renderCompare();
    await heatmap();
    const csv = screen.getByRole('link', { name: 'Download CSV' });
    expect(csv).toHaveAttribute(
      'href',
      '/api/groups/g-root/comparison.csv?instrument=psych-safety&period=2025-03',
    );
    fireEvent.change(screen.getByLabelText('Month'), { target: { value: '2025-02' } });
    await waitFor(() =>
      expect(screen.getByRole('heading', { level: 2, name: /February 2025/ })).toBeInTheDocument(),
    );
    await waitFor(() =>
      expect(screen.getByRole('link', { name: 'Download CSV' })).toHaveAttribute(
        'href',
        '/api/groups/g-root/comparison.csv?instrument=psych-safety&period=2025-02',
      ),
    );
  });

  it('links each team through to its page and draws small-multiple trends of the teams', async () => {
    const { router } = renderCompare();
    const table = await heatmap();
    expect(await screen.findByRole('group', { name: 'Zeta trend' }, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getAllByRole('group', { name: /trend$/ })).toHaveLength(4);
    fireEvent.click(within(table).getByRole('link', { name: 'Zeta' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/teams/t-zeta'));
  });

  it('tells someone who directs no group what the page is for', async () => {
    renderRoute(<ComparePage />, { url: '/compare', path: '/compare', user: demoUser });
    expect(await screen.findByText('You do not direct a group')).toBeInTheDocument();
  });
});
