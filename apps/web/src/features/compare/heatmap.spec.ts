import { comparison } from '../../../test/comparison-fixtures';
import { heatRows, recentMonths, significantCount, sortRows, TREE_ORDER } from './heatmap';

describe('heatRows', () => {
  it('colours only BH-significant cells, keeps suppressed cells without numbers', () => {
    const rows = heatRows(comparison());
    const flags = rows.map((r) => [
      r.name,
      r.cells.psych_safety!.status === 'released' ? r.cells.psych_safety!.flag : 'suppressed',
    ]);
    expect(flags).toEqual([
      ['Product', 'none'],
      ['Payments', 'suppressed'],
      ['Zeta', 'above'],
      ['Alpha', 'below'],
      ['Middle', 'none'],
      ['Tiny', 'suppressed'],
    ]);
    expect(rows[0]!.reference).toBe(true);
    expect(rows.filter((r) => r.reference)).toHaveLength(1);
    const tiny = rows.find((r) => r.name === 'Tiny')!.cells.psych_safety!;
    expect(tiny).toEqual({ status: 'suppressed', reason: 'below-k' });
    expect(significantCount(rows, comparison().dimensions)).toBe(2);
  });

  it('does not colour a cell whose test says none, however far its mean is from the group', () => {
    const data = comparison();
    data.rows[4]!.scores.psych_safety = {
      status: 'released',
      n: 7,
      mean: 6.9,
      lower: 6.5,
      upper: 7,
      test: { delta: 1.7, p: 0.04, q: 0.12, flag: 'none' },
    };
    expect(heatRows(data)[4]!.cells.psych_safety).toMatchObject({ flag: 'none', q: 0.12 });
  });
});

describe('sortRows', () => {
  const rows = heatRows(comparison());
  const names = (sorted: ReturnType<typeof sortRows>) => sorted.map((r) => r.name);

  it('keeps org order by default', () => {
    expect(names(sortRows(rows, TREE_ORDER))).toEqual([
      'Product',
      'Payments',
      'Zeta',
      'Alpha',
      'Middle',
      'Tiny',
    ]);
  });

  it('sorts by name either way with the group itself first', () => {
    expect(names(sortRows(rows, { key: 'name', dir: 'asc' }))).toEqual([
      'Product',
      'Alpha',
      'Middle',
      'Payments',
      'Tiny',
      'Zeta',
    ]);
    expect(names(sortRows(rows, { key: 'name', dir: 'desc' }))).toEqual([
      'Product',
      'Zeta',
      'Tiny',
      'Payments',
      'Middle',
      'Alpha',
    ]);
  });

  it('sorts by a dimension, suppressed cells last in both directions', () => {
    expect(names(sortRows(rows, { key: 'psych_safety', dir: 'desc' }))).toEqual([
      'Product',
      'Zeta',
      'Middle',
      'Alpha',
      'Payments',
      'Tiny',
    ]);
    expect(names(sortRows(rows, { key: 'psych_safety', dir: 'asc' }))).toEqual([
      'Product',
      'Alpha',
      'Middle',
      'Zeta',
      'Payments',
      'Tiny',
    ]);
  });
});

it('lists recent months in UTC, newest first, across a year boundary', () => {
  expect(recentMonths(new Date('2025-02-10T00:00:00Z'), 4)).toEqual([
    '2025-02',
    '2025-01',
    '2024-12',
    '2024-11',
  ]);
});
