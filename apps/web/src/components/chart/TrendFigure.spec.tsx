import { fireEvent, render, screen, within } from '@testing-library/react';
import { PSYCH, change, point, released, suppressed } from '../../../test/trend-fixtures';
import { TrendChart } from './TrendChart';
import { TrendFigure } from './TrendFigure';
import { shapeTrend } from './trend-data';

const points = [
  point(1, { psych_safety: released(4.62, 4.1, 5.14, 8) }, { invited: 9, k: 5 }),
  point(2, { psych_safety: suppressed() }, { invited: 9, k: 5, n: 3 }),
  point(3, { psych_safety: released(5.71, 5.3, 6.12, 7, change(1.09, 0.004, true)) }, { invited: 9, k: 5 }),
];
const series = shapeTrend(points, PSYCH);

function openTable() {
  render(<TrendFigure series={series} title="Psychological safety" />);
  fireEvent.click(screen.getByRole('button', { name: 'Show data table' }));
  return screen.getByRole('table');
}

describe('TrendFigure data table', () => {
  it('is hidden until asked for, and the toggle says whether it is open', () => {
    render(<TrendFigure series={series} title="Psychological safety" />);
    const toggle = screen.getByRole('button', { name: 'Show data table' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    fireEvent.click(toggle);
    expect(screen.getByRole('button', { name: 'Hide data table' })).toHaveAttribute('aria-expanded', 'true');
  });

  it('shows mean, interval and n for released cycles', () => {
    const table = openTable();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    const first = within(rows[0]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(first).toEqual(['4.62', '4.10–5.14', '8', '9', '5', '—']);
    const third = within(rows[2]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(third.slice(0, 5)).toEqual(['5.71', '5.30–6.12', '7', '9', '5']);
    expect(third[5]).toMatch(/\+1\.09 \(p = 0\.004\) significant/);
  });

  it('shows "Suppressed (n < k)" and no score for a suppressed cycle', () => {
    const table = openTable();
    const row = within(table).getAllByRole('row')[2]!;
    const cells = within(row).getAllByRole('cell');
    expect(cells[0]).toHaveTextContent('Suppressed (n < k)');
    expect(cells[0]).toHaveAttribute('colspan', '3');
    // Only invited (9), k (5) and no change: no mean, interval or n — and certainly no 0.
    expect(cells.slice(1).map((c) => c.textContent)).toEqual(['9', '5', '—']);
    expect(row.textContent).not.toMatch(/\d\.\d\d/);
  });

  it('names every column and row header for screen readers', () => {
    const table = openTable();
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Cycle', 'Mean', '95% interval', 'n', 'Invited', 'k', 'Change vs previous']);
    expect(within(table).getAllByRole('rowheader')).toHaveLength(3);
  });
});

describe('TrendFigure caption', () => {
  it('says what is plotted: scale, which way is good, interval, k, and the latest value with its band and n', () => {
    render(<TrendFigure series={series} title="Psychological safety" />);
    const figure = screen.getByRole('figure');
    expect(figure).toHaveTextContent('1–7 scale (axis fixed), higher is better');
    expect(figure).toHaveTextContent('95% interval');
    expect(figure).toHaveTextContent('k = 5');
    expect(figure).toHaveTextContent(/5\.71\s*Strong\s*latest/);
    expect(figure).toHaveTextContent('95% interval 5.30–6.12 · n = 7 of 9 · k = 5');
    expect(figure).toHaveTextContent('+1.09 vs previous (a real change for the better)');
    const legend = within(figure).getByRole('list', { name: 'Legend' });
    expect(legend).toHaveTextContent('Suppressed cycle: fewer than k answers, no score');
    expect(legend).toHaveTextContent('Real change for the worse');
    // The change rule is explained, and said to be conservative.
    expect(within(figure).getByText('What counts as a real change?')).toBeInTheDocument();
    expect(figure).toHaveTextContent(/The rule is conservative/);
  });

  it('explains an interval of no width: everyone invited answered', () => {
    const all = shapeTrend(
      [point(1, { psych_safety: released(5.81, 5.81, 5.81, 9) }, { invited: 9 })],
      PSYCH,
    );
    render(<TrendFigure series={all} title="PS" />);
    const figure = screen.getByRole('figure');
    expect(figure).toHaveTextContent('everyone invited answered (no margin of error)');
    expect(figure).toHaveTextContent(/exact score for that cycle, so the interval has no width/);
    expect(figure).not.toHaveTextContent('5.81–5.81');
  });

  it('reads self-orientation the right way round: a fall is better, lower is better', () => {
    const so = { ...PSYCH, id: 'self_orientation', label: 'Self-orientation' };
    const fell = shapeTrend(
      [
        point(1, { self_orientation: released(3.9, 3.5, 4.3, 8) }),
        point(2, { self_orientation: released(2.4, 2.1, 2.7, 8, change(-1.5, 0.001, true)) }),
      ],
      so,
    );
    render(<TrendFigure series={fell} title="Self-orientation" />);
    const figure = screen.getByRole('figure');
    expect(figure).toHaveTextContent('lower is better');
    expect(figure).toHaveTextContent(/2\.40\s*Strong/);
    expect(figure).toHaveTextContent('−1.50 vs previous (a real change for the better)');
  });

  it('says so when no cycle reached k', () => {
    render(<TrendFigure series={shapeTrend([point(1, { psych_safety: suppressed() })], PSYCH)} title="PS" />);
    expect(screen.getByText(/No cycle has reached k answers yet/)).toBeInTheDocument();
  });
});

describe('TrendChart', () => {
  const renderChart = () =>
    render(<TrendChart series={series} title="Psychological safety trend" width={640} height={300} />);

  const yTicks = (container: HTMLElement) =>
    [...container.querySelectorAll('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value')].map(
      (t) => ({
        label: t.textContent,
        y: Number(t.getAttribute('y')),
      }),
    );

  it('pins the y-axis to 1–7 whatever the data', () => {
    const { container } = renderChart();
    expect(yTicks(container).map((t) => t.label)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(screen.getByRole('group', { name: 'Psychological safety trend' })).toHaveAttribute(
      'data-domain',
      '1,7',
    );

    // Data bunched near the top does not stretch the axis: 1 and 7 stay at the same places.
    const { container: other } = render(
      <TrendChart
        series={shapeTrend([point(1, { psych_safety: released(6.8, 6.7, 6.9, 9) })], PSYCH)}
        title="High scores"
        width={640}
        height={300}
      />,
    );
    expect(yTicks(other)).toEqual(yTicks(container));
  });

  it('draws the suppressed cycle as a gap column without a label of its own, and breaks the mean line there', () => {
    const { container } = renderChart();
    expect(screen.getAllByTestId('suppressed-marker')).toHaveLength(1);
    // One legend entry says what the column is; the chart repeats no "suppressed" label per cycle.
    expect(container.querySelectorAll('svg text')).not.toContainEqual(
      expect.objectContaining({ textContent: 'suppressed' }),
    );
    // The mean line is two separate segments ("M…Z M…Z"), not one path through a fake value.
    const meanPath = container.querySelector('path[name="Mean"]')!.getAttribute('d')!;
    expect(meanPath.match(/M/g)).toHaveLength(2);
  });

  it('marks the significant change, as better for a dimension where higher is good', () => {
    renderChart();
    expect(screen.getAllByTestId('significant-marker')).toHaveLength(1);
    expect(screen.getByTestId('significant-marker')).toHaveAttribute('data-tone', 'better');
  });

  it('draws the interval as a band between lower and upper', () => {
    const { container } = renderChart();
    expect(container.querySelector('path[name="95% interval"].recharts-area-area')).toBeInTheDocument();
  });

  it('gives the chart an accessible summary with n and interval', () => {
    renderChart();
    const group = screen.getByRole('group', { name: 'Psychological safety trend' });
    expect(group).toHaveAccessibleDescription(/2 shown, 1 suppressed.*95% interval 5\.30–6\.12, n = 7/);
  });
});
