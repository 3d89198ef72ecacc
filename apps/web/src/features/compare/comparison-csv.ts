/**
 * The CSV of what the heatmap shows, in the order it shows it (the person's sort), built in the
 * browser from the same released comparison the page drew. It has the columns of the API's
 * `comparison.csv` and its rules: a suppressed cell is `suppressed:<reason>` with no number, and
 * the cells are written by the same `toCsv` (text that a spreadsheet would read as a formula is
 * prefixed with ').
 */
import { toCsv, type Cell, type CsvValue, type GroupComparisonResponse } from '@candor/contracts';

export const COMPARISON_CSV_HEADER = [
  'period',
  'instrument',
  'kind',
  'name',
  'depth',
  'dimension',
  'status',
  'n',
  'participation_rate',
  'mean',
  'lower_95',
  'upper_95',
  'difference_vs_rest',
  'p',
  'bh_q',
  'flag',
] as const;

function status(cell: Cell<object> | undefined): string {
  if (!cell) return 'suppressed';
  return cell.status === 'released' ? 'released' : `suppressed:${cell.reason}`;
}

function num<T extends object>(cell: Cell<T> | undefined, key: keyof T): number | null {
  if (!cell || cell.status !== 'released') return null;
  const value = (cell as T)[key];
  return typeof value === 'number' ? value : null;
}

/**
 * One line per row and dimension, rows in `order` (row ids as on screen). Rows not in `order`
 * are left out: the file holds what is on screen, nothing more.
 */
export function comparisonCsv(view: GroupComparisonResponse, order: readonly string[]): string {
  const byId = new Map(view.rows.map((r) => [r.id, r]));
  const rows: CsvValue[][] = [[...COMPARISON_CSV_HEADER]];
  for (const id of order) {
    const row = byId.get(id);
    if (!row) continue;
    for (const d of view.dimensions) {
      const cell = row.scores[d.id];
      const test = cell?.status === 'released' ? cell.test : null;
      rows.push([
        view.period,
        view.instrument,
        row.kind,
        row.name,
        row.depth,
        d.id,
        status(cell),
        num(cell, 'n'),
        num(row.participation, 'rate'),
        num(cell, 'mean'),
        num(cell, 'lower'),
        num(cell, 'upper'),
        test?.delta ?? null,
        test?.p ?? null,
        test?.q ?? null,
        test?.flag ?? null,
      ]);
    }
  }
  return toCsv(rows);
}

/** "acme-psych-safety-2025-03-by-psych_safety-desc.csv" */
export function comparisonCsvName(
  view: GroupComparisonResponse,
  sort: { key: string; dir: 'asc' | 'desc' },
): string {
  const slug = view.group.name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const order = sort.key === 'tree' ? 'org-order' : `by-${sort.key}-${sort.dir}`;
  return `${slug || 'group'}-${view.instrument}-${view.period}-${order}.csv`;
}
