import {
  toCsv,
  type Cell,
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

function status(cell: Cell<object> | { status: string; reason?: string } | undefined): string {
  if (!cell) return 'suppressed';
  return cell.status === 'released' ? 'released' : `suppressed:${(cell as { reason: string }).reason}`;
}

function num<T extends object>(cell: Cell<T> | undefined, key: keyof T): number | null {
  if (!cell || cell.status !== 'released') return null;
  const v = (cell as T)[key];
  return typeof v === 'number' ? v : null;
}

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
        status(cell),
        num(cell, 'n'),
        num(p.participation, 'rate'),
        num(cell, 'mean'),
        num(cell, 'lower'),
        num(cell, 'upper'),
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
    status(item.score),
    num(item.score, 'n'),
    num(item.score, 'mean'),
    num(item.score, 'lower'),
    num(item.score, 'upper'),
    status(item.distribution),
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

export function comparisonCsv(view: GroupComparisonResponse): string {
  const rows: CsvValue[][] = [];
  for (const r of view.rows) {
    for (const d of view.dimensions) {
      const cell = r.scores[d.id];
      const test = cell?.status === 'released' ? cell.test : null;
      rows.push([
        view.period,
        view.instrument,
        r.kind,
        r.name,
        r.depth,
        d.id,
        status(cell),
        num(cell, 'n'),
        num(r.participation, 'rate'),
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
  return toCsv([
    [
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
    ],
    ...rows,
  ]);
}
