import type { ReliabilityResponse, UserSummary } from '@candor/contracts';
import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { cellOf, comparison, groupTrend } from '../../../test/comparison-fixtures';
import { FakeCandorApi, demoUser, type CycleKeys } from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import { point, released, suppressed, trendResponse } from '../../../test/trend-fixtures';
import ComparePage from './ComparePage';

// The page draws several Recharts charts in jsdom (small multiples, reliability): on a machine busy
// with other test runs that takes longer than testing-library's default 1 s wait.
configure({ asyncUtilTimeout: 5_000 });
jest.setTimeout(30_000);

const director: UserSummary = { ...demoUser, teams: [], directorOf: [{ id: 'g-root', name: 'Product' }] };
let api: FakeCandorApi;
/** The CSV blobs the page made download links for, by blob URL. */
let blobs: Map<string, Blob>;

const RELIABILITY_SCALES: Record<'psych-safety' | 'trust-equation', ReliabilityResponse['scales']> = {
  'psych-safety': [
    {
      id: 'psych_safety',
      label: 'Psychological safety',
      items: ['ps1', 'ps2', 'ps3', 'ps4', 'ps5', 'ps6', 'ps7'],
      reversed: ['ps1', 'ps3', 'ps5'],
    },
  ],
  'trust-equation': ['credibility', 'reliability', 'intimacy', 'self_orientation'].map((id, c) => ({
    id,
    label: ['Credibility', 'Reliability', 'Intimacy', 'Self-orientation'][c]!,
    items: [1, 2, 3].map((j) => `${['cr', 're', 'in', 'so'][c]}${j}`),
    reversed: [],
  })),
};

const reliability = (instrument: 'psych-safety' | 'trust-equation'): ReliabilityResponse => {
  const scales = RELIABILITY_SCALES[instrument];
  const point = (
    period: string,
    cell: (c: number) => ReliabilityResponse['points'][number]['scales'][number]['alpha'],
  ) => {
    const cells = scales.map((s, c) => ({ scale: s.id, alpha: cell(c) }));
    return { period, scales: cells, ...(cells.length === 1 ? { alpha: cells[0]!.alpha } : {}) };
  };
  return {
    group: { id: 'g-root', name: 'Product' },
    instrument,
    instrumentVersion: `${instrument}@1`,
    minimumN: 30,
    scales,
    points: [
      point('2025-01', () => ({ status: 'suppressed', reason: 'below-minimum' })),
      point('2025-02', (c) => ({ status: 'released', n: 42, alpha: [0.83, 0.77, 0.81, 0.88][c]! })),
      point('2025-03', () =>
        instrument === 'psych-safety'
          ? { status: 'released', n: 45, alpha: 0.64 }
          : { status: 'suppressed', reason: 'would-reveal' },
      ),
    ],
  };
};

function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

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
  for (const instrument of ['psych-safety', 'trust-equation'] as const)
    api.fixtures[`GET /api/groups/g-root/reliability?instrument=${instrument}&months=24`] =
      reliability(instrument);
  globalThis.fetch = jest.fn(api.fetch);
  blobs = new Map();
  let next = 0;
  // jsdom has no object URLs: record each blob behind a fake one.
  Object.assign(URL, {
    createObjectURL: (blob: Blob) => {
      const url = `blob:test/${++next}`;
      blobs.set(url, blob);
      return url;
    },
    revokeObjectURL: (url: string) => blobs.delete(url),
  });
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
    expect(cell('Zeta')).toHaveAttribute('data-tone', 'better');
    expect(cell('Zeta')).toHaveTextContent('▲ 6.10');
    expect(cell('Zeta')).toHaveTextContent('Strong');
    // Interval, n, p and q only on demand (issue 13: not in every cell).
    expect(cell('Zeta')).not.toHaveTextContent('BH q');
    fireEvent.click(screen.getByLabelText(/Show details/));
    expect(cell('Zeta')).toHaveTextContent('BH q = 0.040');
    expect(cell('Alpha')).toHaveAttribute('data-tone', 'worse');
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
    expect(within(table).getByRole('button', { name: /Psychological safety/ })).toHaveTextContent(
      'best first',
    );
    fireEvent.click(within(table).getByRole('button', { name: /Team/ }));
    expect(rowNames(table)).toEqual(['Product', 'Alpha', 'Middle', 'Payments', 'Tiny', 'Zeta']);
    expect(api.requests.every((r) => !/sort/i.test(r.path))).toBe(true);
  });

  it('changes period through the picker; the CSV is the table as shown, in its sort order, suppressed cells as suppressed', async () => {
    renderCompare();
    const table = await heatmap();
    const csvText = async () => {
      const link = await screen.findByRole('link', { name: 'Download CSV' });
      return readBlob(blobs.get(link.getAttribute('href')!)!);
    };
    const names = (text: string) =>
      text
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[3]);

    // Org order at first, like the table.
    let text = await csvText();
    expect(text.split('\n')[0]).toBe(
      'period,instrument,kind,name,depth,dimension,status,n,participation_rate,mean,lower_95,upper_95,difference_vs_rest,p,bh_q,flag',
    );
    expect(names(text)).toEqual(rowNames(table));
    expect(screen.getByRole('link', { name: 'Download CSV' })).toHaveAttribute(
      'download',
      'product-psych-safety-2025-03-org-order.csv',
    );

    // Sorted by the score, highest first: the file follows.
    fireEvent.click(within(table).getByRole('button', { name: /Psychological safety/ }));
    await waitFor(async () => expect(names(await csvText())).toEqual(rowNames(table)));
    text = await csvText();
    expect(names(text)).toEqual(['Product', 'Zeta', 'Middle', 'Alpha', 'Payments', 'Tiny']);
    const tiny = text.split('\n').find((line) => line.includes(',Tiny,'))!;
    expect(tiny).toBe('2025-03,psych-safety,team,Tiny,1,psych_safety,suppressed:below-k,,,,,,,,,');
    const zeta = text.split('\n').find((line) => line.includes(',Zeta,'))!;
    expect(zeta).toBe(
      '2025-03,psych-safety,team,Zeta,2,psych_safety,released,8,0.8,6.1,5.8,6.3999999999999995,0.6,0.01,0.04,above',
    );
    expect(screen.getByRole('link', { name: 'Download CSV' })).toHaveAttribute(
      'download',
      'product-psych-safety-2025-03-by-psych_safety-desc.csv',
    );
    expect(api.requests.every((r) => !r.path.includes('comparison.csv'))).toBe(true);

    fireEvent.change(screen.getByLabelText('Month'), { target: { value: '2025-02' } });
    await waitFor(() =>
      expect(screen.getByRole('heading', { level: 2, name: /February 2025/ })).toBeInTheDocument(),
    );
    await waitFor(async () => expect(names(await csvText())).toEqual(['Product']));
    expect((await csvText()).split('\n')[1]!.startsWith('2025-02,')).toBe(true);
  });

  it('shows each survey’s Cronbach’s α per month with n, what α means, and withheld months as not enough responses', async () => {
    renderCompare();
    const section = await screen.findByRole('region', { name: /Reliability of the surveys/ });
    expect(section).toHaveTextContent('0.7 or more is the usual reading of “acceptable”');
    const psych = await within(section).findByRole('group', {
      name: /Psychological safety: Cronbach’s α over time/,
    });
    const figure = psych.closest('figure')!;
    expect(figure).toHaveTextContent('0.64');
    expect(figure).toHaveTextContent('n = 45');
    expect(figure).toHaveTextContent(/below 0\.7/);
    fireEvent.click(within(figure as HTMLElement).getByRole('button', { name: 'Show data table' }));
    const rows = within(within(figure as HTMLElement).getByRole('table'))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      'January 2025Not enough responses (n < 30)',
      'February 20250.8342good',
      'March 20250.6445questionable',
    ]);
    // Trust: one α per component, never one over all twelve statements.
    expect(within(section).queryByRole('group', { name: /^Trust: Cronbach’s α over time/ })).toBeNull();
    expect(
      within(section).getAllByRole('group', { name: /^Trust: .+: Cronbach’s α over time/ }),
    ).toHaveLength(4);
    expect(
      within(section)
        .getByRole('group', { name: /Trust: Self-orientation: Cronbach’s α over time/ })
        .closest('figure'),
    ).toHaveTextContent('0.88');
    const trust = within(section)
      .getByRole('group', { name: /Trust: Credibility: Cronbach’s α over time/ })
      .closest('figure')!;
    expect(trust).toHaveTextContent('its 3 credibility statements');
    fireEvent.click(within(trust as HTMLElement).getByRole('button', { name: 'Show data table' }));
    expect(within(trust as HTMLElement).getByRole('table')).toHaveTextContent(
      'Suppressed (would reveal a smaller group)',
    );
    expect(trust).toHaveTextContent('0.83');
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

  it('reads self-orientation the right way round: above the rest is red, the lowest sorts best first', async () => {
    const data = comparison('2025-03');
    data.instrument = 'trust-equation';
    data.dimensions = [{ id: 'self_orientation', label: 'Self-orientation', min: 1, max: 7 }];
    const so = (mean: number, flag: 'above' | 'below' | 'none') => cellOf(mean, 8, flag);
    data.rows = data.rows.map((r) => ({
      ...r,
      scores: {
        self_orientation:
          r.name === 'Zeta'
            ? so(4.2, 'above')
            : r.name === 'Alpha'
              ? so(2.1, 'below')
              : r.name === 'Middle'
                ? so(3.0, 'none')
                : r.scores.psych_safety!,
      },
    }));
    api.fixtures['GET /api/groups/g-root/comparison?instrument=trust-equation&period=2025-03'] = data;
    api.fixtures['GET /api/groups/g-root/trend?instrument=trust-equation&months=24'] = groupTrend([
      '2025-02',
      '2025-03',
    ]);
    renderCompare('/compare?instrument=trust-equation');
    const table = await heatmap();
    const cell = (team: string) =>
      within(within(table).getByRole('row', { name: new RegExp(`^${team}`) })).getAllByRole('cell')[0]!;
    expect(cell('Zeta')).toHaveAttribute('data-tone', 'worse');
    expect(cell('Zeta')).toHaveTextContent('Needs attention');
    expect(cell('Alpha')).toHaveAttribute('data-tone', 'better');
    expect(cell('Alpha')).toHaveTextContent('Strong');
    fireEvent.click(within(table).getByRole('button', { name: /Self-orientation/ }));
    expect(rowNames(table).slice(1, 4)).toEqual(['Alpha', 'Middle', 'Zeta']);
    // Best first for a lower-is-better column lists the values ascending.
    expect(within(table).getAllByRole('columnheader')[1]).toHaveAttribute('aria-sort', 'ascending');
  });
});
