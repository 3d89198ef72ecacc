/**
 * Pure shaping of a group comparison into heatmap rows: what each cell shows, whether it is
 * coloured (only when the Benjamini–Hochberg-adjusted test flags it above or below the rest of the
 * group, and then as better or worse by the dimension's good direction), its band, and the order
 * of the rows. Sorting happens here, in the browser, by favourability; the server is never sent a
 * sort string.
 */
import type {
  Band,
  ComparisonEstimate,
  ComparisonFlag,
  ComparisonRow,
  DimensionInfo,
  GroupComparisonResponse,
  SuppressionReason,
} from '@candor/contracts';
import {
  bandFor,
  dimensionDirection,
  favourabilityFor,
  toneOfFlag,
  type Tone,
} from '../../components/decisions/direction';

export type HeatCell =
  | {
      status: 'released';
      mean: number;
      lower: number;
      upper: number;
      n: number;
      /** Coloured only when significant after BH adjustment; 'none' otherwise (and for the reference). */
      flag: ComparisonFlag;
      /** The flag read by the dimension's good direction: better or worse than the rest; null when not significant. */
      tone: Tone | null;
      band: Band | undefined;
      delta: number | null;
      p: number | null;
      q: number | null;
    }
  | { status: 'suppressed'; reason: SuppressionReason };

export interface HeatRow {
  id: string;
  kind: 'group' | 'team';
  name: string;
  depth: number;
  /** The group itself: the reference every team is tested against. */
  reference: boolean;
  participation: ComparisonRow['participation'];
  cells: Record<string, HeatCell>;
}

/**
 * 'tree' keeps the org order; otherwise sort by team name, or by a dimension's favourability:
 * `asc` is worst first, `desc` best first (for self-orientation, worst first is the highest value).
 */
export interface HeatSort {
  /** 'tree', 'name' or a dimension id. */
  key: string;
  dir: 'asc' | 'desc';
}

export const TREE_ORDER: HeatSort = { key: 'tree', dir: 'asc' };

function cell(dimension: DimensionInfo, estimate: ComparisonRow['scores'][string] | undefined): HeatCell {
  if (!estimate) return { status: 'suppressed', reason: 'below-k' };
  if (estimate.status === 'suppressed') return { status: 'suppressed', reason: estimate.reason };
  const e: ComparisonEstimate = estimate;
  const significant = e.test !== null && e.test.flag !== 'none';
  const flag = significant ? e.test!.flag : 'none';
  return {
    status: 'released',
    mean: e.mean,
    lower: e.lower,
    upper: e.upper,
    n: e.n,
    flag,
    tone: toneOfFlag(dimensionDirection(dimension), flag),
    band: bandFor(dimension.id, e.mean),
    delta: e.test?.delta ?? null,
    p: e.test?.p ?? null,
    q: e.test?.q ?? null,
  };
}

export function heatRows(comparison: GroupComparisonResponse): HeatRow[] {
  return comparison.rows.map((row, index) => ({
    id: row.id,
    kind: row.kind,
    name: row.name,
    depth: row.depth,
    reference: index === 0 && row.parentId === null,
    participation: row.participation,
    cells: Object.fromEntries(comparison.dimensions.map((d) => [d.id, cell(d, row.scores[d.id])])),
  }));
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** The reference row stays first; suppressed cells sort last in either direction. */
export function sortRows(rows: readonly HeatRow[], sort: HeatSort): HeatRow[] {
  if (sort.key === 'tree') return [...rows];
  const [reference, rest] = [rows.filter((r) => r.reference), rows.filter((r) => !r.reference)];
  const sign = sort.dir === 'asc' ? 1 : -1;
  const sorted = [...rest].sort((a, b) => {
    if (sort.key === 'name') return sign * collator.compare(a.name, b.name) || a.id.localeCompare(b.id);
    const ca = a.cells[sort.key];
    const cb = b.cells[sort.key];
    const va = ca?.status === 'released' ? favourabilityFor(sort.key, ca.mean) : null;
    const vb = cb?.status === 'released' ? favourabilityFor(sort.key, cb.mean) : null;
    if (va === null && vb === null) return collator.compare(a.name, b.name);
    if (va === null) return 1;
    if (vb === null) return -1;
    return sign * (va - vb) || collator.compare(a.name, b.name);
  });
  return [...reference, ...sorted];
}

export function significantCount(rows: readonly HeatRow[], dimensions: readonly DimensionInfo[]): number {
  return rows.reduce(
    (sum, r) =>
      sum +
      dimensions.filter(
        (d) => r.cells[d.id]?.status === 'released' && (r.cells[d.id] as { flag: string }).flag !== 'none',
      ).length,
    0,
  );
}

/** Months as YYYY-MM in UTC, newest first, from `to` back `count` months. */
export function recentMonths(to: Date, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - i, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

export function formatMonth(period: string): string {
  const [y, m] = period.split('-').map(Number);
  if (!y || !m) return period;
  return monthFormat.format(new Date(Date.UTC(y, m - 1, 1)));
}
