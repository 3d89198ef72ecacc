import {
  comparisonCsv as comparisonCsvOf,
  csvEstimate,
  csvNumber,
  csvStatus,
  toCsv,
  type CsvValue,
  type GroupComparisonResponse,
  type ItemBreakdownResponse,
  type TeamTrendResponse,
} from '@candor/contracts';

/**
 * CSV renderings of released views. They are built from the very response objects the JSON
 * endpoints return, so suppression is identical: a suppressed cell is the word `suppressed` and
 * its reason, never a number. No view contains row-level data.
 */

export function trendCsv(view: TeamTrendResponse): string {
  const rows: CsvValue[][] = [];
  for (const p of view.points) {
    for (const d of view.dimensions) {
      const cell = p.scores[d.id];
      const change = cell?.status === 'released' ? cell.change : null;
      rows.push([
        view.team.name,
        view.instrument,
        p.cycleId,
        p.opensAt,
        p.closesAt,
        p.k,
        d.id,
        ...csvEstimate(cell, p.participation),
        change?.delta ?? null,
        change?.p ?? null,
        change ? String(change.significant) : null,
      ]);
    }
  }
  return toCsv([
    [
      'team',
      'instrument',
      'cycle_id',
      'opens_at',
      'closes_at',
      'k',
      'dimension',
      'status',
      'n',
      'participation_rate',
      'mean',
      'lower_95',
      'upper_95',
      'change',
      'change_p',
      'change_significant',
    ],
    ...rows,
  ]);
}

export function itemsCsv(view: ItemBreakdownResponse): string {
  const labels = view.scaleLabels.map((_, i) => `answered_${i + 1}`);
  const rows: CsvValue[][] = view.items.map((item) => [
    view.team.name,
    view.cycle.cycleId,
    view.cycle.k,
    item.itemId,
    item.dimension,
    String(item.reverse),
    item.text,
    csvStatus(item.score),
    csvNumber(item.score, 'n'),
    csvNumber(item.score, 'mean'),
    csvNumber(item.score, 'lower'),
    csvNumber(item.score, 'upper'),
    csvStatus(item.distribution),
    ...labels.map((_, i) =>
      item.distribution.status === 'released' ? (item.distribution.counts[i] ?? 0) : null,
    ),
  ]);
  return toCsv([
    [
      'team',
      'cycle_id',
      'k',
      'item',
      'dimension',
      'reverse_scored',
      'text',
      'status',
      'n',
      'mean',
      'lower_95',
      'upper_95',
      'distribution_status',
      ...labels,
    ],
    ...rows,
  ]);
}

/** The group comparison, rows in the response's order (the rows are built in @candor/contracts). */
export const comparisonCsv = (view: GroupComparisonResponse): string => comparisonCsvOf(view);
