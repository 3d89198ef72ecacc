/**
 * The rows of the group comparison CSV, built once for the API's `comparison.csv` and the web's
 * download of the heatmap: the two give the same bytes for the same rows in the same order (a test
 * in libs/contracts/test checks it). A suppressed cell is `suppressed:<reason>` and no number.
 */
import type { GroupComparisonResponse } from './analytics';
import { toCsv, type CsvValue } from './csv';

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

/** A released or suppressed cell of any view (`Cell<T>`, `GatedCell<T>`). */
export type CsvCell = { status: 'released' } | { status: 'suppressed'; reason: string };

/** `released`, or `suppressed:<reason>`; a missing cell is `suppressed`. */
export function csvStatus(cell: CsvCell | undefined): string {
  if (!cell) return 'suppressed';
  return cell.status === 'released' ? 'released' : `suppressed:${cell.reason}`;
}

/** A number of a released cell; null (an empty CSV cell) when suppressed, missing or not a number. */
export function csvNumber<T extends object>(
  cell: ({ status: 'released' } & T) | CsvCell | undefined,
  key: keyof T,
) {
  if (!cell || cell.status !== 'released') return null;
  const value = (cell as T)[key];
  return typeof value === 'number' ? value : null;
}

/**
 * The estimate columns every view's CSV shares, in order: status, n, participation rate, mean,
 * lower and upper bound (numbers empty unless the cell is released).
 */
export function csvEstimate(
  cell: { status: 'released'; n: number; mean: number; lower: number; upper: number } | CsvCell | undefined,
  participation: { status: 'released'; rate: number } | CsvCell | undefined,
): CsvValue[] {
  return [
    csvStatus(cell),
    csvNumber(cell, 'n'),
    csvNumber(participation, 'rate'),
    csvNumber(cell, 'mean'),
    csvNumber(cell, 'lower'),
    csvNumber(cell, 'upper'),
  ];
}

/**
 * Header and one row per comparison row and dimension, rows in `order` (row ids; default: the
 * response's order). Rows not in `order` are left out.
 */
export function comparisonCsvRows(view: GroupComparisonResponse, order?: readonly string[]): CsvValue[][] {
  const byId = new Map(view.rows.map((r) => [r.id, r]));
  const picked = order ? order.flatMap((id) => byId.get(id) ?? []) : view.rows;
  const rows: CsvValue[][] = [[...COMPARISON_CSV_HEADER]];
  for (const row of picked) {
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
        ...csvEstimate(cell, row.participation),
        test?.delta ?? null,
        test?.p ?? null,
        test?.q ?? null,
        test?.flag ?? null,
      ]);
    }
  }
  return rows;
}

/** The comparison CSV text (see comparisonCsvRows). */
export function comparisonCsv(view: GroupComparisonResponse, order?: readonly string[]): string {
  return toCsv(comparisonCsvRows(view, order));
}
