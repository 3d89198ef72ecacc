/**
 * The CSV of what the heatmap shows, in the order it shows it (the person's sort), built in the
 * browser from the same released comparison the page drew. It has the columns of the API's
 * `comparison.csv` and its rules: a suppressed cell is `suppressed:<reason>` with no number, and
 * the cells are written by the same `toCsv` (text that a spreadsheet would read as a formula is
 * prefixed with ').
 */
import { comparisonCsv as comparisonCsvOf, type GroupComparisonResponse } from '@candor/contracts';

/**
 * One line per row and dimension, rows in `order` (row ids as on screen). Rows not in `order`
 * are left out: the file holds what is on screen, nothing more. The rows are built in
 * @candor/contracts, for the API's file too.
 */
export function comparisonCsv(view: GroupComparisonResponse, order: readonly string[]): string {
  return comparisonCsvOf(view, order);
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
