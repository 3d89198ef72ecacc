/**
 * The director's overview, built against the contract of the phase-2 endpoint
 * (`GroupOverviewResponse`, `GET /api/groups/:groupId/overview`). Until that endpoint exists it is
 * composed here from views the API already releases: the two group comparisons of the period (one
 * per instrument) and each team's trend (for its change since its previous cycle and its size).
 * Nothing is computed here that the API did not release: every number is one of theirs.
 *
 * Also pure: the "where to look" list and the worst-first order, both by favourability.
 */
import type {
  AttentionItem,
  ComparisonRow,
  DimensionInfo,
  GroupComparisonResponse,
  GroupOverviewResponse,
  InstrumentId,
  NoResultsReason,
  OverviewDimension,
  OverviewEstimate,
  OverviewRow,
  TeamTrendResponse,
} from '@candor/contracts';
import {
  bandFor,
  dimensionDirection,
  favourabilityFor,
  toneOfChange,
  toneOfFlag,
} from '../../components/decisions/direction';

export const INSTRUMENT_IDS: InstrumentId[] = ['psych-safety', 'trust-equation'];

/** The inputs of the phase-1 composition. */
export interface OverviewSources {
  comparisons: Record<InstrumentId, GroupComparisonResponse>;
  /** `${teamId}:${instrument}` → the team's trend, for those loaded. */
  trends: Partial<Record<string, TeamTrendResponse>>;
}

function instrumentDimensions(c: GroupComparisonResponse, instrument: InstrumentId): OverviewDimension[] {
  return c.dimensions.map((d: DimensionInfo) => ({
    ...d,
    instrument,
    goodDirection: dimensionDirection(d),
  }));
}

function noResultsOf(row: ComparisonRow, trend: TeamTrendResponse | undefined): NoResultsReason | null {
  const size = trend?.openCycle ?? trend?.points.at(-1);
  if (size && size.invited < size.k) return 'smaller-than-k';
  if (row.participation.status === 'released') return null;
  if (row.cycleId === null) return 'no-cycle';
  // A team's row is its own cycle: shown when n ≥ k, otherwise fewer than k answered.
  return 'below-k';
}

/** The phase-1 composition: the two comparisons and the teams' trends as one overview. */
export function composeOverview({ comparisons, trends }: OverviewSources): GroupOverviewResponse {
  const psych = comparisons['psych-safety'];
  const dimensions = INSTRUMENT_IDS.flatMap((i) => instrumentDimensions(comparisons[i], i));
  const names = new Map(psych.rows.map((r) => [r.id, r.name]));
  const reference: GroupOverviewResponse['reference'] = {};
  const rows = new Map<string, OverviewRow>();
  for (const instrument of INSTRUMENT_IDS) {
    const comparison = comparisons[instrument];
    const [root] = comparison.rows;
    for (const d of comparison.dimensions) {
      const cell = root?.scores[d.id];
      reference[d.id] =
        cell && cell.status === 'released'
          ? {
              status: 'released',
              n: cell.n,
              mean: cell.mean,
              lower: cell.lower,
              upper: cell.upper,
              band: bandFor(d.id, cell.mean) ?? 'fine',
            }
          : { status: 'suppressed', reason: cell?.status === 'suppressed' ? cell.reason : 'below-k' };
    }
    for (const r of comparison.rows.filter((x) => x.kind === 'team')) {
      const row =
        rows.get(r.id) ??
        ({
          teamId: r.id,
          name: r.name,
          groupId: r.parentId ?? comparison.group.id,
          groupName: names.get(r.parentId ?? '') ?? comparison.group.name,
          instruments: {} as OverviewRow['instruments'],
          scores: {},
        } satisfies OverviewRow);
      const trend = trends[`${r.id}:${instrument}`];
      const point = trend?.points.find((p) => p.cycleId === r.cycleId);
      row.instruments[instrument] = {
        cycleId: r.cycleId,
        participation: r.participation,
        noResults: noResultsOf(r, trend),
      };
      for (const d of comparison.dimensions) {
        const cell = r.scores[d.id];
        if (!cell || cell.status === 'suppressed') {
          row.scores[d.id] = {
            status: 'suppressed',
            reason: cell?.status === 'suppressed' ? cell.reason : 'below-k',
          };
          continue;
        }
        const trendCell = point?.scores[d.id];
        const estimate: OverviewEstimate = {
          n: cell.n,
          mean: cell.mean,
          lower: cell.lower,
          upper: cell.upper,
          band: bandFor(d.id, cell.mean) ?? 'fine',
          test: cell.test,
          change: trendCell?.status === 'released' ? trendCell.change : null,
        };
        row.scores[d.id] = { status: 'released', ...estimate };
      }
      rows.set(r.id, row);
    }
  }
  const overview: GroupOverviewResponse = {
    group: psych.group,
    period: psych.period,
    k: Math.max(...INSTRUMENT_IDS.map((i) => comparisons[i].k)),
    fdr: psych.fdr,
    dimensions,
    reference,
    rows: [...rows.values()],
    attention: [],
  };
  overview.attention = whereToLook(overview, trends);
  return overview;
}

/**
 * What needs a director's attention, most urgent first: a significant change for the worse in a
 * team's latest cycle, a team significantly worse than the rest of the group, a result in the
 * "needs attention" band, a team with no result (and why). One line per team and dimension.
 */
export function whereToLook(
  overview: Pick<GroupOverviewResponse, 'rows' | 'dimensions'>,
  trends: Partial<Record<string, TeamTrendResponse>> = {},
): AttentionItem[] {
  const drops: AttentionItem[] = [];
  const below: AttentionItem[] = [];
  const attention: AttentionItem[] = [];
  const none: AttentionItem[] = [];
  for (const row of overview.rows) {
    const seen = new Set<string>();
    const base = { teamId: row.teamId, teamName: row.name };
    for (const dim of overview.dimensions) {
      // The team's latest released cycle of the instrument, whatever the period.
      const trend = trends[`${row.teamId}:${dim.instrument}`];
      const latest =
        trend && [...trend.points].reverse().find((p) => p.scores[dim.id]?.status === 'released');
      const cell = latest?.scores[dim.id];
      if (
        cell?.status === 'released' &&
        cell.change?.significant &&
        toneOfChange(dim.goodDirection, cell.change.delta) === 'worse'
      ) {
        drops.push({
          ...base,
          kind: 'significant-drop',
          instrument: dim.instrument,
          dimension: dim.id,
          mean: cell.mean,
          band: bandFor(dim.id, cell.mean),
          change: cell.change,
          at: latest!.closesAt,
        });
        seen.add(dim.id);
      }
    }
    for (const dim of overview.dimensions) {
      if (seen.has(dim.id)) continue;
      const cell = row.scores[dim.id];
      if (cell?.status !== 'released') continue;
      if (cell.test && toneOfFlag(dim.goodDirection, cell.test.flag) === 'worse') {
        below.push({
          ...base,
          kind: 'below-group',
          instrument: dim.instrument,
          dimension: dim.id,
          mean: cell.mean,
          band: cell.band,
          test: { delta: cell.test.delta, q: cell.test.q },
        });
      } else if (cell.band === 'needs-attention') {
        attention.push({
          ...base,
          kind: 'needs-attention',
          instrument: dim.instrument,
          dimension: dim.id,
          mean: cell.mean,
          band: cell.band,
        });
      }
    }
    for (const instrument of INSTRUMENT_IDS) {
      const status = row.instruments[instrument];
      if (status?.noResults)
        none.push({ ...base, kind: 'no-results', instrument, dimension: null, reason: status.noResults });
    }
  }
  const byFavourability = (a: AttentionItem, b: AttentionItem) =>
    favourabilityFor(a.dimension ?? '', a.mean ?? 0) - favourabilityFor(b.dimension ?? '', b.mean ?? 0);
  drops.sort((a, b) => (a.change && b.change ? Math.abs(b.change.delta) - Math.abs(a.change.delta) : 0));
  below.sort(byFavourability);
  attention.sort(byFavourability);
  return [...drops, ...below, ...attention, ...none];
}

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
