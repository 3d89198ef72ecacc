/**
 * The director's overview (`GroupOverviewResponse`), composed from cells the release gate already
 * decided: the two group comparisons of the period (one per instrument) and each team's own trend
 * (for its change since its previous cycle and its size). Nothing here releases a number the
 * comparison or the trend did not; the only new statistic is the Benjamini–Hochberg adjustment of
 * their p-values as one family across both instruments. Pure, so every rule is tested.
 */
import type {
  AttentionItem,
  ComparisonRow,
  GroupComparisonResponse,
  GroupOverviewResponse,
  InstrumentId,
  NoResultsReason,
  OverviewDimension,
  OverviewEstimate,
  OverviewRow,
  TeamTrendResponse,
} from '@candor/contracts';
import { reshapeCell } from '@candor/disclosure';
import { bandOf, changeTone, favourability, goodDirection } from '@candor/instruments';
import { benjaminiHochberg } from '@candor/stats';

export const OVERVIEW_INSTRUMENTS: InstrumentId[] = ['psych-safety', 'trust-equation'];

export interface OverviewSources {
  comparisons: Record<InstrumentId, GroupComparisonResponse>;
  /** `${teamId}:${instrument}` → the team's trend. */
  trends: ReadonlyMap<string, TeamTrendResponse>;
}

function noResultsOf(row: ComparisonRow, trend: TeamTrendResponse | undefined): NoResultsReason | null {
  const size = trend?.openCycle ?? trend?.points.at(-1);
  if (size && size.invited < size.k) return 'smaller-than-k';
  if (row.participation.status === 'released') return null;
  if (row.cycleId === null) return 'no-cycle';
  // A team's row is its own cycle: shown when n ≥ k, otherwise fewer than k answered.
  return 'below-k';
}

/** The comparisons' tests as one family across both instruments (BH at the comparisons' FDR). */
function adjustAcrossInstruments(rows: OverviewRow[], fdr: number): void {
  const tested: { cell: OverviewEstimate; delta: number; p: number }[] = [];
  for (const row of rows)
    for (const cell of Object.values(row.scores))
      if (cell.status === 'released' && cell.test)
        tested.push({ cell, delta: cell.test.delta, p: cell.test.p });
  const bh = benjaminiHochberg(
    tested.map((t) => t.p),
    fdr,
  );
  tested.forEach((t, i) => {
    const rejected = bh.rejected[i] === true;
    t.cell.test = {
      delta: t.delta,
      p: t.p,
      q: bh.adjusted[i]!,
      flag: rejected && t.delta > 0 ? 'above' : rejected && t.delta < 0 ? 'below' : 'none',
    };
  });
}

export function composeOverview({ comparisons, trends }: OverviewSources): GroupOverviewResponse {
  const psych = comparisons['psych-safety'];
  const dimensions: OverviewDimension[] = OVERVIEW_INSTRUMENTS.flatMap((instrument) =>
    comparisons[instrument].dimensions.map((d) => ({ ...d, instrument, goodDirection: goodDirection(d.id) })),
  );
  const names = new Map(psych.rows.map((r) => [r.id, r.name]));
  const reference: GroupOverviewResponse['reference'] = {};
  const rows = new Map<string, OverviewRow>();
  for (const instrument of OVERVIEW_INSTRUMENTS) {
    const comparison = comparisons[instrument];
    const [root] = comparison.rows;
    for (const d of comparison.dimensions) {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the group row carries no test
      reference[d.id] = reshapeCell(root?.scores[d.id], ({ test, ...estimate }) => ({
        ...estimate,
        band: bandOf(d.id, estimate.mean),
      }));
    }
    for (const r of comparison.rows.filter((x) => x.kind === 'team')) {
      const row: OverviewRow = rows.get(r.id) ?? {
        teamId: r.id,
        name: r.name,
        groupId: r.parentId ?? comparison.group.id,
        groupName: names.get(r.parentId ?? '') ?? comparison.group.name,
        instruments: {} as OverviewRow['instruments'],
        scores: {},
      };
      const trend = trends.get(`${r.id}:${instrument}`);
      const point = trend?.points.find((p) => p.cycleId === r.cycleId);
      row.instruments[instrument] = {
        cycleId: r.cycleId,
        participation: r.participation,
        noResults: noResultsOf(r, trend),
      };
      for (const d of comparison.dimensions) {
        const trendCell = point?.scores[d.id];
        row.scores[d.id] = reshapeCell(r.scores[d.id], (estimate) => ({
          ...estimate,
          band: bandOf(d.id, estimate.mean),
          change: trendCell?.status === 'released' ? trendCell.change : null,
        }));
      }
      rows.set(r.id, row);
    }
  }
  const out = [...rows.values()];
  adjustAcrossInstruments(out, psych.fdr);
  const overview: GroupOverviewResponse = {
    group: psych.group,
    period: psych.period,
    k: Math.max(...OVERVIEW_INSTRUMENTS.map((i) => comparisons[i].k)),
    fdr: psych.fdr,
    dimensions,
    reference,
    rows: sortWorstFirst(out, dimensions),
    attention: [],
  };
  overview.attention = whereToLook(overview, trends);
  return overview;
}

/**
 * Teams worst first: each by its least favourable 1–7 result (so a team weak on any one thing
 * rises; the trust index, on its own scale, does not take part), ties by name; teams with no
 * result last, by name.
 */
export function sortWorstFirst(rows: OverviewRow[], dimensions: OverviewDimension[]): OverviewRow[] {
  const key = (row: OverviewRow): number | null => {
    const values = dimensions.flatMap((d) => {
      const cell = row.scores[d.id];
      return cell?.status === 'released' && d.id !== 'trust_index' ? [favourability(d.id, cell.mean)] : [];
    });
    return values.length ? Math.min(...values) : null;
  };
  const byName = (a: OverviewRow, b: OverviewRow) =>
    a.name.localeCompare(b.name) || a.teamId.localeCompare(b.teamId);
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === null || kb === null) return ka === kb ? byName(a, b) : ka === null ? 1 : -1;
    return ka - kb || byName(a, b);
  });
}

/**
 * What needs a director's attention, most urgent first: a significant change for the worse in a
 * team's latest released cycle (largest first), a team significantly worse than the rest of the
 * group after BH, a result in the "needs attention" band (least favourable first), a team with no
 * result in the period and why. One line per team and dimension.
 */
export function whereToLook(
  overview: Pick<GroupOverviewResponse, 'rows' | 'dimensions'>,
  trends: ReadonlyMap<string, TeamTrendResponse>,
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
      const trend = trends.get(`${row.teamId}:${dim.instrument}`);
      const latest = trend?.points.findLast((p) => p.scores[dim.id]?.status === 'released');
      const cell = latest?.scores[dim.id];
      if (cell?.status !== 'released' || !cell.change?.significant) continue;
      if (changeTone(dim.id, cell.change.delta) !== 'worse') continue;
      drops.push({
        ...base,
        kind: 'significant-drop',
        instrument: dim.instrument,
        dimension: dim.id,
        mean: cell.mean,
        band: bandOf(dim.id, cell.mean),
        change: cell.change,
        at: latest!.closesAt,
      });
      seen.add(dim.id);
    }
    for (const dim of overview.dimensions) {
      const cell = row.scores[dim.id];
      if (seen.has(dim.id) || cell?.status !== 'released') continue;
      const line = {
        ...base,
        instrument: dim.instrument,
        dimension: dim.id,
        mean: cell.mean,
        band: cell.band,
      };
      const flag = cell.test?.flag ?? 'none';
      if (flag !== 'none' && changeTone(dim.id, flag === 'above' ? 1 : -1) === 'worse') {
        below.push({ ...line, kind: 'below-group', test: { delta: cell.test!.delta, q: cell.test!.q } });
      } else if (cell.band === 'needs-attention') {
        attention.push({ ...line, kind: 'needs-attention' });
      }
    }
    for (const instrument of OVERVIEW_INSTRUMENTS) {
      const reason = row.instruments[instrument]?.noResults;
      if (reason) none.push({ ...base, kind: 'no-results', instrument, dimension: null, reason });
    }
  }
  const byFavourability = (a: AttentionItem, b: AttentionItem) =>
    favourability(a.dimension!, a.mean!) - favourability(b.dimension!, b.mean!);
  drops.sort((a, b) => Math.abs(b.change!.delta) - Math.abs(a.change!.delta));
  below.sort(byFavourability);
  attention.sort(byFavourability);
  return [...drops, ...below, ...attention, ...none];
}
