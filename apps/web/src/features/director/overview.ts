/**
 * The director's overview grid order, by favourability. The overview itself
 * (`GroupOverviewResponse`) is composed by the API (`GET /api/groups/:groupId/overview`); the
 * page only re-sorts its rows when a column is chosen.
 */
import type { OverviewDimension, OverviewRow } from '@candor/contracts';
import { favourabilityFor } from '../../components/decisions/direction';

/** How far below "strong" a released cell is, on the 1–7 favourability scale; null for the index or no result. */
function shortfall(row: OverviewRow, dim: OverviewDimension): number | null {
  const cell = row.scores[dim.id];
  if (cell?.status !== 'released' || dim.id === 'trust_index') return null;
  return favourabilityFor(dim.id, cell.mean);
}

export interface OverviewSort {
  /** 'worst' (default: each team's least favourable result), 'name', or a dimension id. */
  key: string;
  /** For a dimension: least favourable first ('worst') or most favourable first ('best'). */
  order: 'worst' | 'best';
}

export const WORST_FIRST: OverviewSort = { key: 'worst', order: 'worst' };

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * Teams in order: by default worst first — each team by its least favourable 1–7 result (so a
 * team weak on any one thing rises), ties by name; teams with no result at all last. By a
 * dimension: by its favourability (self-orientation's lowest value is its best). Never a raw sort
 * that would put the worst self-orientation at the top as the "highest".
 */
export function sortOverview(
  rows: readonly OverviewRow[],
  dimensions: readonly OverviewDimension[],
  sort: OverviewSort,
): OverviewRow[] {
  const sign = sort.order === 'worst' ? 1 : -1;
  const key = (row: OverviewRow): number | null => {
    if (sort.key === 'worst') {
      const values = dimensions.map((d) => shortfall(row, d)).filter((v): v is number => v !== null);
      return values.length ? Math.min(...values) : null;
    }
    const dim = dimensions.find((d) => d.id === sort.key);
    const cell = row.scores[sort.key];
    return dim && cell?.status === 'released' ? favourabilityFor(dim.id, cell.mean) : null;
  };
  return [...rows].sort((a, b) => {
    if (sort.key === 'name') return collator.compare(a.name, b.name) || a.teamId.localeCompare(b.teamId);
    const ka = key(a);
    const kb = key(b);
    if (ka === null && kb === null) return collator.compare(a.name, b.name);
    if (ka === null) return 1;
    if (kb === null) return -1;
    return sign * (ka - kb) || collator.compare(a.name, b.name);
  });
}
